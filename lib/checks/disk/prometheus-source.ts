import { instantQuery, instantSamples } from '../../prometheus/query-client.ts';
import { dfUsedPercent, type FilesystemUsage } from './filesystem-usage.ts';
import type { SourceReading } from './source-reading.ts';

export interface PrometheusOptions {
  readonly url: string;
  readonly matchers?: string;
  readonly excludeFsTypes: readonly string[];
  readonly includeReadOnly: boolean;
}

const metrics = ['avail_bytes', 'free_bytes', 'size_bytes', 'files', 'files_free', 'readonly'];

/** One selector for every node_filesystem_* series needed, so one round trip answers it all. */
export function filesystemQuery(
  options: Omit<PrometheusOptions, 'url' | 'includeReadOnly'>,
): string {
  const matchers = [`__name__=~"node_filesystem_(${metrics.join('|')})"`];
  if (options.excludeFsTypes.length > 0) {
    matchers.push(`fstype!~"${options.excludeFsTypes.join('|')}"`);
  }
  if (options.matchers) matchers.push(options.matchers);
  return `{${matchers.join(',')}}`;
}

/** node-exporter's view: df-style usage per (instance, device, mountpoint). */
export async function prometheusUsage(
  options: PrometheusOptions,
  signal: AbortSignal,
): Promise<SourceReading> {
  const query = filesystemQuery(options);
  const samples = instantSamples((await instantQuery({ url: options.url }, query, signal)).data);
  const byFs = new Map<
    string,
    { labels: Record<string, string>; values: Record<string, number> }
  >();
  for (const sample of samples) {
    const { __name__: name = '', ...labels } = sample.metric;
    const key = `${labels['instance'] ?? ''}\u0000${labels['device'] ?? ''}\u0000${labels['mountpoint'] ?? ''}`;
    let entry = byFs.get(key);
    if (!entry) {
      entry = { labels, values: {} };
      byFs.set(key, entry);
    }
    entry.values[name.replace('node_filesystem_', '')] = Number(sample.value[1]);
  }
  const filesystems: FilesystemUsage[] = [];
  let readOnlySkipped = 0;
  for (const { labels, values } of byFs.values()) {
    const size = values['size_bytes'];
    const avail = values['avail_bytes'];
    if (size === undefined || avail === undefined) continue;
    if (!options.includeReadOnly && values['readonly'] === 1) {
      readOnlySkipped++;
      continue;
    }
    const used = size - (values['free_bytes'] ?? avail);
    const files = values['files'];
    const filesFree = values['files_free'];
    filesystems.push({
      name: `${labels['instance'] ?? '?'} ${labels['mountpoint'] ?? labels['device'] ?? '?'}`,
      sizeBytes: size,
      usedBytes: used,
      availableBytes: avail,
      usedPercent: dfUsedPercent(used, avail),
      ...(files !== undefined && filesFree !== undefined && files > 0
        ? { inodesUsedPercent: dfUsedPercent(files - filesFree, filesFree) }
        : {}),
    });
  }
  return { filesystems, extra: { query, readOnlySkipped } };
}
