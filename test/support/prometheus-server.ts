/**
 * A real Prometheus (Debian's /usr/bin/prometheus) on a free loopback port, scraping loopback
 * exporters every second, so tests query through real PromQL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Exporter {
  readonly target: string;
  /** Replaces what /metrics serves (Prometheus text format). */
  serve(text: string): void;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A loopback /metrics endpoint whose text the test changes between scrapes. */
export async function startExporter(initial = ''): Promise<Exporter> {
  let text = initial;
  const server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text);
  });
  const port = await listen(server);
  return {
    target: `127.0.0.1:${port}`,
    serve: (next) => {
      text = next;
    },
    close: () => closeServer(server),
  };
}

/** A port nothing listens on: bound, then released. */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}

export interface ScrapeJob {
  readonly job: string;
  readonly targets: readonly string[];
}

export interface PrometheusServer {
  readonly url: string;
  /** The instant query's samples as Prometheus answers them now. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Polls `query` until `accept` holds (a scrape has landed), failing after `ms`. */
  waitFor(
    promql: string,
    accept: (samples: { metric: Record<string, string>; value: [number, string] }[]) => boolean,
    ms?: number,
  ): Promise<void>;
  close(): Promise<void>;
}

function scrapeConfig(jobs: readonly ScrapeJob[]): string {
  const lines = ['global:', '  scrape_interval: 1s', '  scrape_timeout: 900ms', 'scrape_configs:'];
  for (const job of jobs) {
    lines.push(
      `  - job_name: ${JSON.stringify(job.job)}`,
      '    static_configs:',
      `      - targets: [${job.targets.map((t) => JSON.stringify(t)).join(', ')}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${log()}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`prometheus not ready after 30s: ${log()}`);
}

export async function startPrometheus(jobs: readonly ScrapeJob[]): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'healthcheck-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, scrapeConfig(jobs));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    '/usr/bin/prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const close = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, () => stderr);
  } catch (error) {
    await close();
    throw error;
  }
  const query: PrometheusServer['query'] = async (promql) => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { data?: { result?: unknown } };
    const result = body.data?.result;
    return Array.isArray(result) ? result : [];
  };
  return {
    url,
    query,
    async waitFor(promql, accept, ms = 20_000) {
      const until = Date.now() + ms;
      let last: unknown;
      while (Date.now() < until) {
        last = await query(promql);
        if (accept(last as never)) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`${promql} never matched; last answer ${JSON.stringify(last)}`);
    },
    close,
  };
}
