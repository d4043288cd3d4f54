/**
 * Issue 3's target: a suite of 100 certificate checks against loopback endpoints finishes in about
 * the slowest handshake x ceil(100 / concurrency), not 100 sequential handshakes.
 *
 * 100 loopback TLS servers (one per check, certificates from a throwaway CA) run in a child
 * process, so their CPU is not the checker's. With a delay, each server sits behind a proxy that
 * holds every chunk for the delay in each direction, so a handshake pays the round trips it would
 * across a network. The suite runs through the engine (executeRun with the real plugin registry)
 * sequentially (concurrency 1) and concurrently, and once through the real CLI. Prints a table,
 * writes bench/results/tls-concurrency.json and prints the JSON as the last line.
 *
 *   node_modules/.bin/node bench/tls-concurrency.ts [--checks 100] [--delay-ms 25]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCheckFromRegistry } from '../lib/checks/load-check.ts';
import { parseConfig } from '../lib/config/load-config.ts';
import { executeRun } from '../lib/run/execute-run.ts';
import { createTestPki, inDays } from '../test/support/tls-certificates.ts';
import { startTlsServer } from '../test/support/tls-servers.ts';

const { values } = parseArgs({
  options: {
    checks: { type: 'string', default: '100' },
    'delay-ms': { type: 'string', default: '25' },
    serve: { type: 'string' },
  },
});
const checkCount = Number(values.checks);
const delays = [0, Number(values['delay-ms'])];
const repoRoot = fileURLToPath(new URL('../', import.meta.url));

interface Row {
  delayMs: number;
  mode: string;
  concurrency: number;
  wallMs: number;
  slowestCheckMs: number;
  /** slowest single check x ceil(checks / concurrency): the issue's yardstick. */
  expectedMs: number;
  speedupVsSequential: number | null;
  statuses: Record<string, number>;
}

function countStatuses(results: readonly { status: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/healthcheck.js'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, HEALTHCHECK_FROM_SOURCE: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout, ms: Math.round(performance.now() - started) }),
    );
  });
}

/** Forwards to `targetPort`, holding each chunk `delayMs` in each direction (a network's latency). */
function startDelayProxy(targetPort: number, delayMs: number): Promise<number> {
  const server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    const relay = (from: Socket, to: Socket) => {
      from.on('data', (chunk: Buffer) => setTimeout(() => to.write(chunk), delayMs));
      from.on('close', () => setTimeout(() => to.destroy(), delayMs));
      from.on('error', () => to.destroy());
    };
    relay(client, upstream);
    relay(upstream, client);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

/** Child-process mode: start the servers, print their ports, live until stdin closes. */
async function serve(spec: string): Promise<void> {
  const { certFile, keyFile, count, delayMs } = JSON.parse(spec) as {
    certFile: string;
    keyFile: string;
    count: number;
    delayMs: number;
  };
  const issued = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const server = await startTlsServer(issued);
    ports.push(delayMs > 0 ? await startDelayProxy(server.port, delayMs) : server.port);
  }
  console.log(JSON.stringify({ ports }));
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

function startServers(spec: object): Promise<{ ports: number[]; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), '--serve', JSON.stringify(spec)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) {
        const { ports } = JSON.parse(out) as { ports: number[] };
        resolve({ ports, stop: () => child.stdin.end() });
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`server process exited ${code}`)));
  });
}

if (values.serve) {
  await serve(values.serve);
} else {
  await main();
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-tls-concurrency-'));
  const rows: Row[] = [];
  try {
    const pki = await createTestPki(work);
    const issued = await pki.issue({ names: ['bench.test.internal'], notAfter: inDays(200) });
    const certFile = join(work, 'leaf.pem');
    const keyFile = join(work, 'leaf.key');
    writeFileSync(certFile, issued.cert);
    writeFileSync(keyFile, issued.key);

    for (const delayMs of delays) {
      const servers = await startServers({ certFile, keyFile, count: checkCount, delayMs });
      const rawConfig = {
        timezone: 'UTC',
        defaults: { timeoutSeconds: 60 },
        checks: servers.ports.map((port, i) => ({
          id: `cert-${i}`,
          type: 'tls-certificate',
          host: '127.0.0.1',
          port,
          servername: 'bench.test.internal',
          ca: pki.caFile,
        })),
      };
      const config = parseConfig(rawConfig, { env: {} });
      // Warm-up: module loading and the first TLS context are not what is measured.
      await executeRun(config, { checks: ['cert-0'] }, { loadCheck: loadCheckFromRegistry });

      const measure = async (concurrency: number) => {
        const started = performance.now();
        const report = await executeRun(
          config,
          {},
          { loadCheck: loadCheckFromRegistry, concurrency },
        );
        return { wallMs: Math.round(performance.now() - started), results: report.results };
      };
      const sequential = await measure(1);
      const slowestCheckMs = Math.max(...sequential.results.map((r) => r.durationMs));
      const addRow = (
        mode: string,
        concurrency: number,
        wallMs: number,
        results: readonly { status: string }[],
      ) =>
        rows.push({
          delayMs,
          mode,
          concurrency,
          wallMs,
          slowestCheckMs,
          expectedMs: slowestCheckMs * Math.ceil(checkCount / concurrency),
          speedupVsSequential:
            mode === 'engine' && concurrency === 1
              ? 1
              : Math.round((sequential.wallMs / wallMs) * 10) / 10,
          statuses: countStatuses(results),
        });
      addRow('engine', 1, sequential.wallMs, sequential.results);
      for (const concurrency of [32, 100]) {
        const concurrent = await measure(concurrency);
        addRow('engine', concurrency, concurrent.wallMs, concurrent.results);
      }

      const configFile = join(work, `config-${delayMs}.json`);
      writeFileSync(configFile, JSON.stringify(rawConfig));
      const cli = await runCli([
        'run',
        '--config',
        configFile,
        '--format',
        'json',
        '--state-dir',
        join(work, `state-${delayMs}`),
      ]);
      const cliReport = JSON.parse(cli.stdout) as { results: { status: string }[] };
      addRow('CLI (process start incl.)', 32, cli.ms, cliReport.results);

      servers.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const columns = [
    'delay ms',
    'mode',
    'concurrency',
    'wall ms',
    'slowest check ms',
    'slowest x ceil(N/c)',
    'vs sequential',
    'statuses',
  ];
  const table = [
    columns,
    ...rows.map((r) => [
      String(r.delayMs),
      r.mode,
      String(r.concurrency),
      String(r.wallMs),
      String(r.slowestCheckMs),
      String(r.expectedMs),
      r.speedupVsSequential === null ? '-' : `${r.speedupVsSequential}x`,
      Object.entries(r.statuses)
        .map(([s, n]) => `${s} ${n}`)
        .join(', '),
    ]),
  ];
  const widths = columns.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  console.log(
    `${checkCount} tls-certificate checks against ${checkCount} loopback TLS servers; ${cpus().length} CPUs, Node ${process.version}`,
  );
  for (const [i, row] of table.entries()) {
    console.log(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }

  const document = {
    bench: 'tls-concurrency',
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    checks: checkCount,
    rows,
  };
  const resultsDir = join(repoRoot, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'tls-concurrency.json'), `${JSON.stringify(document, null, 2)}\n`);
  console.log(JSON.stringify(document));
}
