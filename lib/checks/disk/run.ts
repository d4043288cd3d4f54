import type { CheckOutcome } from '../../core/result.ts';
import type { CheckContext } from '../plugin.ts';
import type { DiskCheckConfig } from './config.ts';
import { evaluateUsage, type FilesystemUsage } from './filesystem-usage.ts';
import { localUsage } from './local-source.ts';

type SourceReader = (config: DiskCheckConfig, context: CheckContext) => Promise<FilesystemUsage[]>;

const sources: Record<DiskCheckConfig['source'], SourceReader> = {
  local: async (config) => Promise.all((config.paths ?? []).map((path) => localUsage(path))),
};

export async function run(config: DiskCheckConfig, context: CheckContext): Promise<CheckOutcome> {
  const filesystems = await sources[config.source](config, context);
  return evaluateUsage(filesystems, config, { source: config.source });
}
