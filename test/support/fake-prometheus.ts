/**
 * A loopback HTTP server speaking Prometheus' `/api/v1/query` for instant-vector selectors
 * (`metric{l="v"}` or `{__name__=~"..."}` with =, !=, =~, !~ matchers), over a fixed set of series.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface FakePrometheus {
  readonly url: string;
  readonly queries: string[];
  readonly authorizations: (string | undefined)[];
  close(): Promise<void>;
}

type Matcher = { label: string; op: string; value: string };

function parseSelector(query: string): Matcher[] {
  const m = /^\s*([a-zA-Z_:][\w:]*)?\s*(?:\{(.*)\})?\s*$/s.exec(query);
  if (!m) throw new Error(`unsupported query: ${query}`);
  const matchers: Matcher[] = m[1] ? [{ label: '__name__', op: '=', value: m[1] }] : [];
  const re = /\s*([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;
  const body = m[2] ?? '';
  let consumed = 0;
  for (let t = re.exec(body); t; t = re.exec(body)) {
    matchers.push({
      label: t[1] ?? '',
      op: t[2] ?? '=',
      value: (t[3] ?? '').replace(/\\(.)/g, '$1'),
    });
    consumed = re.lastIndex;
  }
  if (consumed !== body.length) throw new Error(`bad matchers: ${body.slice(consumed)}`);
  return matchers;
}

function matches(labels: Readonly<Record<string, string>>, m: Matcher): boolean {
  const v = labels[m.label] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(v);
    default:
      return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

export async function startFakePrometheus(
  series: readonly FakeSeries[],
  options: { failWith?: number } = {},
): Promise<FakePrometheus> {
  const queries: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('content-type', 'application/json');
    if (url.pathname !== '/api/v1/query') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found\n');
      return;
    }
    const query = url.searchParams.get('query') ?? '';
    queries.push(query);
    authorizations.push(req.headers.authorization);
    if (options.failWith) {
      res.writeHead(options.failWith);
      res.end(JSON.stringify({ status: 'error', errorType: 'internal', error: 'fake failure' }));
      return;
    }
    let matchers: Matcher[];
    try {
      matchers = parseSelector(query);
    } catch (error) {
      res.writeHead(400);
      res.end(
        JSON.stringify({ status: 'error', errorType: 'bad_data', error: (error as Error).message }),
      );
      return;
    }
    const time = Date.now() / 1000;
    const result = series
      .filter((s) => matchers.every((m) => matches(s.labels, m)))
      .map((s) => ({ metric: s.labels, value: [time, String(s.value)] }));
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    queries,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** node-exporter's node_filesystem_* series for one filesystem. */
export function nodeFilesystem(f: {
  instance: string;
  mountpoint: string;
  device?: string;
  fstype?: string;
  sizeBytes: number;
  availBytes: number;
  freeBytes?: number;
  files?: number;
  filesFree?: number;
  readonly?: boolean;
  job?: string;
}): FakeSeries[] {
  const labels = {
    instance: f.instance,
    job: f.job ?? 'node-exporter',
    device: f.device ?? '/dev/nvme0n1p1',
    fstype: f.fstype ?? 'ext4',
    mountpoint: f.mountpoint,
  };
  const values: Record<string, number> = {
    size_bytes: f.sizeBytes,
    avail_bytes: f.availBytes,
    free_bytes: f.freeBytes ?? f.availBytes,
    files: f.files ?? 6_553_600,
    files_free: f.filesFree ?? 6_400_000,
    readonly: f.readonly ? 1 : 0,
    device_error: 0,
  };
  return Object.entries(values).map(([name, value]) => ({
    labels: { __name__: `node_filesystem_${name}`, ...labels },
    value,
  }));
}
