import { statfs } from 'node:fs/promises';
import { dfUsedPercent, type FilesystemUsage } from './filesystem-usage.ts';

/** Usage of the filesystem holding `path`, from statfs(2), computed the way df does. */
export async function localUsage(path: string): Promise<FilesystemUsage> {
  const s = await statfs(path);
  const sizeBytes = s.blocks * s.bsize;
  const usedBytes = (s.blocks - s.bfree) * s.bsize;
  const availableBytes = s.bavail * s.bsize;
  const usedInodes = s.files - s.ffree;
  return {
    name: path,
    sizeBytes,
    usedBytes,
    availableBytes,
    usedPercent: dfUsedPercent(usedBytes, availableBytes),
    ...(s.files > 0 ? { inodesUsedPercent: dfUsedPercent(usedInodes, s.ffree) } : {}),
  };
}
