/**
 * A run stopped mid-checks by SIGINT (Ctrl-C) or SIGKILL (OOM killer, `kill -9`): the next run
 * starts at once (no lock file left to wait on), the store is intact, and alerting carries on
 * as if the stopped run never happened.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakePagerDuty } from '../support/fake-pagerduty.ts';
import { criticalDisk, loopbackCert, pagingConfig, pagingEnv } from '../support/paging-config.ts';
import { runCli } from '../support/run-cli.ts';
import { type SlowTlsServer, startSlowTlsServer } from '../support/slow-tls-server.ts';
import { createTestPki } from '../support/tls-certificates.ts';

const root = await mkdtemp(join(tmpdir(), 'healthcheck-signals-'));
const pd = await startFakePagerDuty();
const pki = await createTestPki(root);
const cert = await pki.selfSigned(['localhost'], 90);
const servers: SlowTlsServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await pd.close();
  await rm(root, { recursive: true, force: true });
});

/** One case's config and endpoint; cases run at once, so each has its own of everything. */
async function setup(name: string) {
  // Never answers within a test: the run is always mid-checks when it is stopped.
  const slow = await startSlowTlsServer(cert, 600_000);
  servers.push(slow);
  const caFile = join(root, `${name}.pem`);
  await writeFile(caFile, cert.cert);
  const config = join(root, `${name}.yaml`);
  await writeFile(
    config,
    pagingConfig(
      [loopbackCert(`${name}-slow`, slow.port, caFile, 300), criticalDisk(`${name}-disk`)],
      pd.url,
    ),
  );
  const stateDir = join(root, `${name}-state`);
  const cli = (args: string[], onSpawn?: (child: ChildProcess) => void) =>
    runCli([...args, '--state-dir', stateDir], {
      env: pagingEnv,
      timeoutMs: 120_000,
      ...(onSpawn ? { onSpawn } : {}),
    });
  return {
    slow,
    run: (onSpawn?: (child: ChildProcess) => void) =>
      cli(['run', '--config', config, '--format', 'json'], onSpawn),
    quickRun: () => cli(['run', '--config', config, '--check', `${name}-disk`, '--format', 'json']),
    doctor: () => cli(['doctor', '--format', 'json']),
    triggers: () =>
      pd.accepted.filter(
        (e) => e['event_action'] === 'trigger' && e['dedup_key'] === `${name}-disk`,
      ).length,
  };
}

describe.concurrent('a run stopped by a signal mid-run', { timeout: 180_000 }, () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
    it(`${signal}: the next run starts at once, pages as if nothing happened, store intact`, async () => {
      const t = await setup(signal.toLowerCase());
      // A first complete run, so the stopped one has a store and an open alert to disturb.
      expect((await t.quickRun()).code).toBe(2);
      expect(t.triggers()).toBe(1);

      let child: ChildProcess | undefined;
      const stopped = t.run((c) => {
        child = c;
      });
      await t.slow.waitForConnections(1);
      child?.kill(signal);
      const ended = await stopped;
      expect(ended.signal ?? ended.code).not.toBe(0);
      expect(ended.stdout).toBe('');

      const next = await t.quickRun();
      expect(next.stderr).not.toMatch(/^healthcheck run:/m);
      expect(next.code).toBe(2);
      // Still failing, still one open incident: the stopped run neither paged nor lost anything.
      expect(t.triggers()).toBe(1);
      expect(JSON.parse(next.stdout).alerts).toEqual([]);
      const doctor = JSON.parse((await t.doctor()).stdout) as { files: { outcome: string }[] };
      expect(doctor.files.map((f) => f.outcome)).toEqual(['ok', 'ok']);
    });
  }
});
