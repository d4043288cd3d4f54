/**
 * Two runs of about 70 s on one state dir, the second starting while the first is mid-checks:
 * both complete with their checks' status (the dynalite store made the second exit 70 after a
 * fixed 60 s wait), a shared failing check pages once, and `status`/`history` answer while both
 * are running. In its own file: it takes over a minute by design.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakePagerDuty } from '../support/fake-pagerduty.ts';
import { criticalDisk, loopbackCert, pagingConfig, pagingEnv } from '../support/paging-config.ts';
import { runCli } from '../support/run-cli.ts';
import { startSlowTlsServer } from '../support/slow-tls-server.ts';
import { createTestPki } from '../support/tls-certificates.ts';

const root = await mkdtemp(join(tmpdir(), 'healthcheck-overlap-'));
const pd = await startFakePagerDuty();
const pki = await createTestPki(root);
const cert = await pki.selfSigned(['localhost'], 90);
const handshakeDelayMs = 70_000;
const slow = await startSlowTlsServer(cert, handshakeDelayMs);
afterAll(async () => {
  await slow.close();
  await pd.close();
  await rm(root, { recursive: true, force: true });
});

describe('overlapping runs on one state dir', () => {
  it('both complete, page once, and status/history work meanwhile', {
    timeout: 240_000,
  }, async () => {
    const caFile = join(root, 'slow.pem');
    await writeFile(caFile, cert.cert);
    const config = join(root, 'healthchecks.yaml');
    await writeFile(
      config,
      pagingConfig(
        [loopbackCert('slow-cert', slow.port, caFile, 150), criticalDisk('broken-disk')],
        pd.url,
      ),
    );
    const stateDir = join(root, 'state');
    const cli = (args: string[]) =>
      runCli([...args, '--state-dir', stateDir], {
        env: pagingEnv,
        timeoutMs: 200_000,
      });
    const run = () => cli(['run', '--config', config, '--format', 'json']);

    const first = run();
    await slow.waitForConnections(1);
    const second = run();
    await slow.waitForConnections(2);
    // Both runs are waiting on their slow check now; readers must not wait for them.
    const status = await cli(['status', '--config', config, '--format', 'json']);
    expect(status.stderr).toBe('');
    // Nothing recorded yet: status counts never-run checks as unknown.
    expect(status.code).toBe(3);
    expect(JSON.parse(status.stdout).checks.map((c: { check: string }) => c.check)).toEqual([
      'slow-cert',
      'broken-disk',
    ]);
    const history = await cli(['history', '--check', 'broken-disk', '--format', 'json']);
    expect(history.code).toBe(0);
    expect(slow.connections()).toBe(2);

    const [a, b] = await Promise.all([first, second]);
    for (const done of [a, b]) {
      expect(done.stderr).not.toMatch(/^healthcheck run:/m);
      expect(done.code).toBe(2);
      const report = JSON.parse(done.stdout);
      expect(
        Object.fromEntries(
          report.results.map((r: { check: string; status: string }) => [r.check, r.status]),
        ),
      ).toEqual({ 'slow-cert': 'ok', 'broken-disk': 'critical' });
      // Each run waited for its own slow check, not for the other run.
      expect(
        report.results.find((r: { check: string }) => r.check === 'slow-cert').durationMs,
      ).toBeGreaterThanOrEqual(handshakeDelayMs - 1000);
    }
    const triggers = pd.accepted.filter((e) => e['event_action'] === 'trigger');
    expect(triggers.map((e) => e['dedup_key'])).toEqual(['broken-disk']);
    const alerts = [a, b].flatMap((r) => JSON.parse(r.stdout).alerts as { event: string }[]);
    expect(alerts.filter((x) => x.event === 'trigger')).toHaveLength(1);

    const after = await cli(['status', '--config', config, '--format', 'json']);
    const rows = JSON.parse(after.stdout).checks as { check: string; status: string }[];
    expect(rows.map((r) => [r.check, r.status])).toEqual([
      ['slow-cert', 'ok'],
      ['broken-disk', 'critical'],
    ]);
    const slowHistory = await cli(['history', '--check', 'slow-cert', '--format', 'json']);
    expect(JSON.parse(slowHistory.stdout).runs).toHaveLength(2);
  });
});
