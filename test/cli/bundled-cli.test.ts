import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeKubeApi, kubePod, startFakeKubeApi } from '../support/fake-kube-api.ts';
import { repoRoot } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { createTestPki } from '../support/tls-certificates.ts';
import { type LoopbackServer, refusedPort, startTlsServer } from '../support/tls-servers.ts';

// The CLI as `npm ci` ships it: esbuild's bundle with on-demand chunks, built into a private
// folder inside the repository (so it resolves dynalite from node_modules like dist/cli does).
const outdir = join(repoRoot, 'dist', `test-cli-${process.pid}-${Date.now()}`);
const tempDir = useTempDirs();
let kube: FakeKubeApi;
let tls: LoopbackServer;

function build(): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/build-cli.ts', '--outdir', outdir], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

function runBundled(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const entry = `import(${JSON.stringify(join(outdir, 'main.js'))}).then(async (m) => { process.exitCode = await m.main(${JSON.stringify(args)}); })`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', entry], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  expect(await build()).toBe(0);
  kube = await startFakeKubeApi({
    pods: [
      kubePod({
        name: 'chat-service-7d9f-x2kq',
        containers: [
          { name: 'chat', ready: false, restarts: 7, waiting: { reason: 'CrashLoopBackOff' } },
        ],
      }),
    ],
  });
}, 120_000);

afterAll(async () => {
  await kube?.close();
  await tls?.close();
  await rm(outdir, { recursive: true, force: true });
});

describe('the bundled CLI', () => {
  it('loads every check type from its chunks and runs them', async () => {
    const dir = await tempDir();
    const pki = await createTestPki(dir);
    tls = await startTlsServer(
      await pki.issue({ names: ['localhost'], notAfter: new Date(Date.now() + 20 * 86_400_000) }),
    );
    await mkdir(join(dir, 'backups'));
    const refused = await refusedPort();
    const config = join(dir, 'healthchecks.yaml');
    await writeFile(
      config,
      [
        'checks:',
        '  - {id: disk, type: disk, paths: [/], warningPercent: 99, criticalPercent: 100}',
        `  - {id: cert, type: tls-certificate, host: 127.0.0.1, servername: localhost, port: ${tls.port}, ca: ${pki.caFile}}`,
        `  - {id: backup, type: backup, location: "file://${dir}/backups/db_{yyyyMMdd}.gz"}`,
        `  - {id: pods, type: kubernetes-pods, kubeconfig: ${kube.kubeconfigPath()}, namespace: secureconnect-prod}`,
        '  - {id: pg, type: connection-pool, engine: postgres, url: "postgres://postgres@127.0.0.1:5432/postgres"}',
        '  - {id: sql-pg, type: sql, engine: postgres, url: "postgres://postgres@127.0.0.1:5432/test", query: "select 1 where false", warning: 0}',
        '  - {id: sql-my, type: sql, engine: mysql, url: "mysql://root@127.0.0.1:3306/test", query: "SELECT 2", measure: value, critical: 1}',
        `  - {id: port, type: http, url: "tcp://127.0.0.1:${tls.port}"}`,
        `  - {id: api, type: http, url: "http://127.0.0.1:${refused}/health", assertions: [{path: $.status, equals: UP}]}`,
        `  - {id: alerts, type: alertmanager, url: "http://127.0.0.1:${refused}"}`,
        // Nothing listens there: the chunk loads and reports the unreachable server.
        `  - {id: prom, type: prometheus, url: "http://127.0.0.1:${refused}", query: up, critical: 0}`,
      ].join('\n'),
    );
    const run = await runBundled([
      'run',
      '--config',
      config,
      '--format',
      'json',
      '--state-dir',
      join(dir, 'state'),
    ]);
    expect(run.stderr).not.toMatch(/Cannot find|internal error/);
    const report = JSON.parse(run.stdout) as {
      results: { check: string; status: string; summary: string }[];
    };
    const status = Object.fromEntries(report.results.map((r) => [r.check, r.status]));
    expect(status).toEqual({
      disk: 'ok',
      cert: 'warning',
      backup: 'critical',
      pods: 'critical',
      pg: 'ok',
      'sql-pg': 'ok',
      'sql-my': 'critical',
      port: 'ok',
      api: 'unknown',
      alerts: 'unknown',
      prom: 'unknown',
    });
    expect(report.results.find((r) => r.check === 'prom')?.summary).toBe(
      `cannot reach Prometheus at http://127.0.0.1:${refused}: connection refused (nothing listening on that port?)`,
    );
    expect(run.code).toBe(2);
  }, 120_000);
});
