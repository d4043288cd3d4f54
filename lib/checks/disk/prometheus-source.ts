import { dfUsedPercent, type FilesystemUsage } from './filesystem-usage.ts';
import type { SourceReading } from './source-reading.ts';

export class PrometheusQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusQueryError';
  }
}

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

interface Sample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/** Splits credentials out of the URL: fetch refuses URLs that carry them. */
function endpoint(base: string, query: string): { url: string; headers: Record<string, string> } {
  const url = new URL(`${base.replace(/\/+$/, '')}/api/v1/query`);
  url.searchParams.set('query', query);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    headers['authorization'] = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  return { url: url.toString(), headers };
}

/** undici hides the socket error (sometimes an AggregateError of both address families). */
function networkCause(error: unknown): string {
  type Cause = { code?: string; message?: string; errors?: Cause[] };
  const cause = (error as { cause?: Cause }).cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message;
}

function origin(base: string): string {
  const u = new URL(base);
  return `${u.protocol}//${u.host}`;
}

async function instantQuery(base: string, query: string, signal: AbortSignal): Promise<Sample[]> {
  const { url, headers } = endpoint(base, query);
  let response: Response;
  try {
    response = await fetch(url, { headers, signal });
  } catch (error) {
    if (signal.aborted) {
      throw new PrometheusQueryError(
        `no answer from Prometheus at ${origin(base)} before the check's deadline`,
      );
    }
    throw new PrometheusQueryError(
      `cannot reach Prometheus at ${origin(base)}: ${networkCause(error)}`,
    );
  }
  const text = await response.text();
  let body: { status?: string; error?: string; errorType?: string; data?: { result?: Sample[] } };
  try {
    body = JSON.parse(text);
  } catch {
    throw new PrometheusQueryError(
      `Prometheus at ${origin(base)} answered HTTP ${response.status} with no JSON (is url the Prometheus base URL?)`,
    );
  }
  if (!response.ok || body.status !== 'success') {
    throw new PrometheusQueryError(
      `Prometheus query failed (HTTP ${response.status}${body.errorType ? `, ${body.errorType}` : ''}): ${body.error ?? 'no error text'}`,
    );
  }
  return body.data?.result ?? [];
}

/** node-exporter's view: df-style usage per (instance, device, mountpoint). */
export async function prometheusUsage(
  options: PrometheusOptions,
  signal: AbortSignal,
): Promise<SourceReading> {
  const query = filesystemQuery(options);
  const samples = await instantQuery(options.url, query, signal);
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
