import type { FilesystemUsage } from './filesystem-usage.ts';

/** What a disk source found; `problems` name parts it could not read (they make it unknown). */
export interface SourceReading {
  readonly filesystems: FilesystemUsage[];
  readonly problems?: readonly string[];
  readonly extra?: Record<string, unknown>;
}
