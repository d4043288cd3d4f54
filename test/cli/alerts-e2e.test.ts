import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakePagerDuty, startFakePagerDuty } from '../support/fake-pagerduty.ts';
import { runCli } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const servers: FakePagerDuty[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function pagerDuty(): Promise<FakePagerDuty> {
  const s = await startFakePagerDuty();
  servers.push(s);
  return s;
}

const routingKey = 'E2EKEY0123456789ABCDEFGHIJKLMNOP';
const env = { HEALTHCHECK_SECRET_ERP_PAGERDUTY: routingKey };

/** A disk check we can break and fix by flipping thresholds: 0/0 is always critical, 100/100 ok. */
async function setup(pdUrl: string) {
  const dir = await tempDir();
  const configFile = join(dir, 'healthchecks.yaml');
  const stateDir = join(dir, 'state');
  const write = async (broken: boolean, url = pdUrl) => {
    const percent = broken ? 0 : 100;
    await writeFile(
      configFile,
      `timezone: Asia/Ho_Chi_Minh
checks:
  - id: root-disk
    name: "Ổ đĩa gốc"
    type: disk
    paths: [/]
    warningPercent: ${percent}
    criticalPercent: ${percent}
    severity: P1
    runbook: https://wiki.example/runbooks#disk
notifications:
  email: [oncall@company.vn]
  pagerduty:
    routingKey: \${secret:erp/pagerduty}
    url: ${url}
`,
    );
  };
  const run = (...extra: string[]) =>
    runCli(['run', '--config', configFile, '--state-dir', stateDir, '--format', 'json', ...extra], {
      env,
    });
  return { dir, configFile, stateDir, write, run };
}

function alertsOf(
  stdout: string,
): { event: string; delivered: string[]; pending: string[]; retry?: boolean }[] {
  return JSON.parse(stdout).alerts;
}

describe('alerts end to end through the CLI', { timeout: 240_000 }, () => {
  it('broken, broken, fixed: exactly one trigger and one resolve reach PagerDuty, same dedup key', async () => {
    const pd = await pagerDuty();
    const t = await setup(pd.url);
    await t.write(true);
    const r1 = await t.run();
    expect(r1.code).toBe(2);
    expect(alertsOf(r1.stdout)).toMatchObject([
      {
        check: 'root-disk',
        event: 'trigger',
        severity: 'P1',
        status: 'critical',
        delivered: ['email', 'pagerduty'],
      },
    ]);
    const r2 = await t.run();
    expect(r2.code).toBe(2);
    expect(alertsOf(r2.stdout)).toEqual([]);
    await t.write(false);
    const r3 = await t.run();
    expect(r3.code).toBe(0);
    expect(alertsOf(r3.stdout)).toMatchObject([
      { event: 'resolve', delivered: ['email', 'pagerduty'] },
    ]);

    expect(pd.received.every((r) => r.problems.length === 0)).toBe(true);
    expect(pd.accepted.map((e) => e['event_action'])).toEqual(['trigger', 'resolve']);
    expect(new Set(pd.accepted.map((e) => e['dedup_key']))).toEqual(new Set(['root-disk']));
    expect(pd.accepted[0]).toMatchObject({
      routing_key: routingKey,
      payload: { severity: 'critical' },
      links: [{ href: 'https://wiki.example/runbooks#disk' }],
    });
    // JSON mode keeps stdout pure; the printed email goes to stderr and the outbox file.
    expect(r1.stderr).toContain(
      '  to oncall@company.vn: [P1] ALERT CRITICAL: O dia goc (root-disk)',
    );
    expect(r1.stderr).not.toContain(routingKey);
    const outbox = (await readFile(join(t.stateDir, 'outbox.jsonl'), 'utf8')).trim().split('\n');
    expect(outbox.map((l) => JSON.parse(l).notification.event)).toEqual(['trigger', 'resolve']);
    expect(JSON.parse(outbox[0] ?? '{}').to).toEqual(['oncall@company.vn']);

    const status = await runCli([
      'status',
      '--config',
      t.configFile,
      '--state-dir',
      t.stateDir,
      '--format',
      'json',
    ]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).checks).toMatchObject([
      { check: 'root-disk', status: 'ok', alerted: 'ok', pending: 0 },
    ]);
    const history = await runCli([
      'history',
      '--check',
      'root-disk',
      '--state-dir',
      t.stateDir,
      '--format',
      'json',
      '--since',
      '1h',
    ]);
    expect(
      JSON.parse(history.stdout).runs.map((r: { result: { status: string } }) => r.result.status),
    ).toEqual(['critical', 'critical', 'ok']);
  });

  it('PagerDuty dies during the trigger: nothing is lost, the next run delivers it once', async () => {
    const pd = await pagerDuty();
    // Every attempt of the first run has its connection dropped mid-request.
    pd.script.push(0, 0, 0, 0);
    const t = await setup(pd.url);
    await t.write(true);
    const r1 = await t.run();
    expect(r1.code).toBe(2);
    expect(alertsOf(r1.stdout)).toMatchObject([
      { event: 'trigger', delivered: ['email'], pending: ['pagerduty'] },
    ]);
    expect(r1.stderr).toMatch(/not delivered on pagerduty; kept for the next run/);
    expect(pd.accepted).toHaveLength(0);

    // Every attempt was made (and dropped), none accepted.
    expect(pd.received.map((r) => r.status)).toEqual([0, 0, 0, 0]);
    // Now the endpoint is gone entirely (connection refused): still kept.
    await pd.close();
    const r2 = await t.run();
    expect(alertsOf(r2.stdout)).toMatchObject([
      { event: 'trigger', retry: true, delivered: [], pending: ['pagerduty'] },
    ]);

    const back = await pagerDuty();
    await t.write(true, back.url);
    const r3 = await t.run();
    expect(alertsOf(r3.stdout)).toMatchObject([
      { event: 'trigger', retry: true, delivered: ['pagerduty'], pending: [] },
    ]);
    const r4 = await t.run();
    expect(alertsOf(r4.stdout)).toEqual([]);
    expect(back.accepted.map((e) => [e['event_action'], e['dedup_key']])).toEqual([
      ['trigger', 'root-disk'],
    ]);
    // Email went out exactly once, on the first run.
    const outbox = (await readFile(join(t.stateDir, 'outbox.jsonl'), 'utf8')).trim().split('\n');
    expect(outbox).toHaveLength(1);
  });

  it('a second run with the same --scheduled-time alerts nothing', async () => {
    const pd = await pagerDuty();
    const t = await setup(pd.url);
    await t.write(true);
    const slot = '2026-11-22T08:00:00+07:00';
    const r1 = await t.run('--scheduled-time', slot);
    expect(alertsOf(r1.stdout)).toMatchObject([{ event: 'trigger' }]);
    await t.write(false);
    const r2 = await t.run('--scheduled-time', slot);
    expect(alertsOf(r2.stdout)).toEqual([]);
    expect(pd.accepted).toHaveLength(1);
    const r3 = await t.run('--scheduled-time', '2026-11-22T09:00:00+07:00');
    expect(alertsOf(r3.stdout)).toMatchObject([{ event: 'resolve' }]);
    expect(pd.accepted.map((e) => e['event_action'])).toEqual(['trigger', 'resolve']);
  });

  it('a run with --scheduled-time a year ahead does not turn alerting off: the next real run pages', async () => {
    const pd = await pagerDuty();
    const t = await setup(pd.url);
    await t.write(false);
    const ahead = new Date(Date.now() + 365 * 86_400_000).toISOString();
    expect((await t.run('--scheduled-time', ahead)).code).toBe(0);
    await t.write(true);
    const real = await t.run();
    expect(real.code).toBe(2);
    expect(alertsOf(real.stdout)).toMatchObject([
      { event: 'trigger', delivered: ['email', 'pagerduty'] },
    ]);
    // And the resolve too, at the next scheduled slot (today's, far behind the future one).
    await t.write(false);
    const resolved = await t.run('--scheduled-time', new Date().toISOString());
    expect(alertsOf(resolved.stdout)).toMatchObject([{ event: 'resolve' }]);
    expect(pd.accepted.map((e) => e['event_action'])).toEqual(['trigger', 'resolve']);
    const status = await runCli(
      ['status', '--config', t.configFile, '--state-dir', t.stateDir, '--format', 'json'],
      { env },
    );
    expect(JSON.parse(status.stdout).checks[0]).toMatchObject({ status: 'ok', alerted: 'ok' });
  });

  it('a daily and a weekly suite sharing a check at the same scheduled time both record and alert', async () => {
    const pd = await pagerDuty();
    const t = await setup(pd.url);
    const suites = (broken: boolean) =>
      t.write(broken).then(async () => {
        const text = await readFile(t.configFile, 'utf8');
        await writeFile(
          t.configFile,
          text.replace(
            'checks:\n',
            `suites:
  - id: daily
    schedule: "cron(0 8 * * ? *)"
    checks: [root-disk]
  - id: weekly
    schedule: "cron(0 8 ? * MON *)"
    checks: [root-disk]
checks:
`,
          ),
        );
      });
    const slot = '2026-11-23T08:00:00+07:00';
    await suites(true);
    const daily = await t.run('--suite', 'daily', '--scheduled-time', slot);
    expect(alertsOf(daily.stdout)).toMatchObject([{ event: 'trigger' }]);
    await suites(false);
    const weekly = await t.run('--suite', 'weekly', '--scheduled-time', slot);
    expect(alertsOf(weekly.stdout)).toMatchObject([{ event: 'resolve' }]);
    // The same weekly slot again is the duplicate: nothing.
    expect(alertsOf((await t.run('--suite', 'weekly', '--scheduled-time', slot)).stdout)).toEqual(
      [],
    );
    const history = await runCli(
      ['history', '--check', 'root-disk', '--state-dir', t.stateDir, '--format', 'json'],
      { env },
    );
    const runs = JSON.parse(history.stdout).runs as { suite: string; result: { status: string } }[];
    expect(runs.map((r) => [r.suite, r.result.status]).sort()).toEqual([
      ['daily', 'critical'],
      ['weekly', 'ok'],
    ]);
    expect(pd.accepted.map((e) => e['event_action'])).toEqual(['trigger', 'resolve']);
  });

  it('a refused page (rotated routing key) shows as failed in status, and replay sends it once fixed', async () => {
    const pd = await pagerDuty();
    pd.script.push(403);
    const t = await setup(pd.url);
    await t.write(true);
    const r1 = await t.run();
    expect(alertsOf(r1.stdout)).toMatchObject([
      { event: 'trigger', delivered: ['email'], pending: [], failed: ['pagerduty'] },
    ]);
    expect(r1.stderr).toMatch(/pagerduty refused the trigger for root-disk for good/);
    const status = async () =>
      JSON.parse(
        (
          await runCli(
            ['status', '--config', t.configFile, '--state-dir', t.stateDir, '--format', 'json'],
            { env },
          )
        ).stdout,
      ).checks[0];
    expect(await status()).toMatchObject({
      failed: 1,
      pending: 0,
      deliveryError: expect.stringContaining('pagerduty: PagerDuty rejected the trigger'),
    });
    // Later runs do not hammer PagerDuty with it.
    await t.run();
    expect(pd.received).toHaveLength(1);
    const dry = await runCli(
      ['replay', '--config', t.configFile, '--state-dir', t.stateDir, '--dry-run'],
      { env },
    );
    expect(dry.stdout).toMatch(/root-disk: trigger refused by pagerduty/);
    expect(pd.received).toHaveLength(1);
    const replay = await runCli(['replay', '--config', t.configFile, '--state-dir', t.stateDir], {
      env,
    });
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/root-disk: trigger delivered to pagerduty/);
    expect(pd.accepted.map((e) => [e['event_action'], e['dedup_key']])).toEqual([
      ['trigger', 'root-disk'],
    ]);
    expect(await status()).toMatchObject({ failed: 0, pending: 0 });
  });

  it('validate rejects remindEvery: 0m with the field path', async () => {
    const pd = await pagerDuty();
    const t = await setup(pd.url);
    await t.write(true);
    const text = await readFile(t.configFile, 'utf8');
    await writeFile(
      t.configFile,
      text.replace('    severity: P1\n', '    severity: P1\n    remindEvery: 0m\n'),
    );
    const r = await runCli(['validate', '--config', t.configFile], { env });
    expect(r.code).toBe(64);
    expect(r.stdout + r.stderr).toMatch(/checks\[0\]\.remindEvery: must be at least 1m/);
  });

  it('two CLI runs at once for the same scheduled time share the state dir and page once', async () => {
    const pd = await pagerDuty();
    const t = await setup(pd.url);
    await t.write(true);
    const slot = '2026-11-22T08:00:00+07:00';
    const [a, b] = await Promise.all([
      t.run('--scheduled-time', slot),
      t.run('--scheduled-time', slot),
    ]);
    expect(a.code).toBe(2);
    expect(b.code).toBe(2);
    const alerts = [...alertsOf(a.stdout), ...alertsOf(b.stdout)];
    expect(alerts.filter((x) => x.event === 'trigger')).toHaveLength(1);
    expect(pd.accepted).toHaveLength(1);
  });

  it('table output prints the alert and one line per email on stdout; --verbose the whole email', async () => {
    const pd = await pagerDuty();
    const t = await setup(pd.url);
    await t.write(true);
    const r = await runCli(['run', '--config', t.configFile, '--state-dir', t.stateDir], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Alerts\n\s+trigger\s+root-disk P1 critical/);
    const emailLines = r.stdout.slice(r.stdout.indexOf('Emails (1;')).trim().split('\n');
    expect(emailLines).toEqual([
      `Emails (1; full text in ${join(t.stateDir, 'outbox.jsonl')}, or run with --verbose):`,
      expect.stringMatching(
        /^ {2}to oncall@company\.vn: \[P1\] ALERT CRITICAL: O dia goc \(root-disk\)/,
      ),
    ]);
    expect(r.stdout).not.toContain('How to silence');

    await t.write(false);
    await runCli(['run', '--config', t.configFile, '--state-dir', t.stateDir], { env });
    await t.write(true);
    const verbose = await runCli(
      ['run', '--config', t.configFile, '--state-dir', t.stateDir, '--verbose'],
      { env },
    );
    expect(verbose.stdout).toContain('--- email to oncall@company.vn');
    expect(verbose.stdout).toContain('Ổ đĩa gốc (root-disk) is now CRITICAL (was ok).');
    expect(verbose.stdout).toContain('How to silence');
    // The first email of all had no earlier run to compare with.
    const outbox = (await readFile(join(t.stateDir, 'outbox.jsonl'), 'utf8')).trim().split('\n');
    expect(JSON.parse(outbox[0] ?? '{}').body).toContain(
      'is now CRITICAL on its first recorded run.',
    );
  });

  it('rejects a malformed --scheduled-time with exit 64', async () => {
    const pd = await pagerDuty();
    const t = await setup(pd.url);
    await t.write(true);
    const r = await t.run('--scheduled-time', 'yesterday-ish');
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--scheduled-time must be an ISO 8601 time');
  });

  it('notify-test pages and resolves at P1, and only emails at P4', async () => {
    const pd = await pagerDuty();
    const t = await setup(pd.url);
    await t.write(false);
    const p1 = await runCli(
      ['notify-test', '--config', t.configFile, '--state-dir', t.stateDir, '--severity', 'P1'],
      { env },
    );
    expect(p1.code).toBe(0);
    expect(p1.stdout).toContain('pagerduty: trigger accepted');
    expect(p1.stdout).toContain('pagerduty: resolve accepted');
    expect(pd.accepted.map((e) => [e['event_action'], e['dedup_key']])).toEqual([
      ['trigger', 'healthcheck-notify-test'],
      ['resolve', 'healthcheck-notify-test'],
    ]);
    const p4 = await runCli(
      ['notify-test', '--config', t.configFile, '--state-dir', t.stateDir, '--severity', 'P4'],
      { env },
    );
    expect(p4.code).toBe(0);
    expect(p4.stdout).toContain('pagerduty: P4 does not page');
    expect(pd.accepted).toHaveLength(2);
    await pd.close();
    const down = await runCli(
      ['notify-test', '--config', t.configFile, '--state-dir', t.stateDir, '--severity', 'P2'],
      { env },
    );
    expect(down.code).toBe(69);
    expect(down.stderr).toMatch(/pagerduty: trigger NOT delivered: cannot reach/);
  });
});
