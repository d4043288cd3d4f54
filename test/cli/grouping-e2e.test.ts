import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppHost, startAppHost } from '../support/app-host.ts';
import { type FakePagerDuty, startFakePagerDuty } from '../support/fake-pagerduty.ts';
import { pagingEnv } from '../support/paging-config.ts';
import { runCli } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function pagerDuty(): Promise<FakePagerDuty> {
  const pd = await startFakePagerDuty();
  cleanups.push(() => pd.close());
  return pd;
}

async function appHost(): Promise<AppHost> {
  const host = await startAppHost();
  cleanups.push(() => host.down());
  return host;
}

interface Email {
  readonly subject: string;
  readonly body: string;
  readonly to: string[];
  readonly notifications?: { check: string; event: string }[];
}

/** `count` HTTP checks against one loopback host, and a disk check that breaks on demand. */
function stormConfig(
  host: AppHost,
  count: number,
  pdUrl: string,
  options: { diskBroken: boolean; grouping?: string },
): string {
  const checks = Array.from(
    { length: count },
    (_, i) => `  - id: svc-${i}
    type: http
    url: ${host.url(`svc-${i}`)}`,
  );
  const percent = options.diskBroken ? 0 : 100;
  return `timezone: UTC
defaults:
  severity: P1
  timeoutSeconds: 5
  concurrency: 64
  concurrencyPerTarget: 64
${options.grouping ? `  grouping: ${options.grouping}\n` : ''}suites:
  - id: storm
    schedule: "rate(5 minutes)"
    checks: [${[...Array.from({ length: count }, (_, i) => `svc-${i}`), 'root-disk'].join(', ')}]
checks:
${checks.join('\n')}
  - id: root-disk
    type: disk
    paths: [/]
    warningPercent: ${percent}
    criticalPercent: ${percent}
notifications:
  email: [oncall@example.com]
  pagerduty:
    routingKey: \${env:PD_KEY}
    url: ${pdUrl}
`;
}

async function setup() {
  const dir = await tempDir();
  const configFile = join(dir, 'healthchecks.yaml');
  const stateDir = join(dir, 'state');
  const run = async () => {
    const r = await runCli(
      [
        'run',
        '--config',
        configFile,
        '--suite',
        'storm',
        '--state-dir',
        stateDir,
        '--format',
        'json',
      ],
      { env: pagingEnv, timeoutMs: 120_000 },
    );
    expect(r.stdout, r.stderr).not.toBe('');
    return JSON.parse(r.stdout) as {
      alerts: { check: string; event: string; grouped?: string; delivered?: string[] }[];
    };
  };
  const emails = async (): Promise<Email[]> => {
    try {
      const text = await readFile(join(stateDir, 'outbox.jsonl'), 'utf8');
      return text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    } catch {
      return [];
    }
  };
  const status = async () => {
    const r = await runCli([
      'status',
      '--config',
      configFile,
      '--state-dir',
      stateDir,
      '--format',
      'json',
    ]);
    return {
      text: (
        await runCli([
          'status',
          '--config',
          configFile,
          '--state-dir',
          stateDir,
          '--format',
          'table',
        ])
      ).stdout,
      groups: JSON.parse(r.stdout).groups as { key: string; open: number; cause: string }[],
      checks: JSON.parse(r.stdout).checks as {
        check: string;
        alerted: string;
        group: string | null;
        suppressedBy: string[] | null;
      }[],
    };
  };
  return { configFile, stateDir, run, emails, status };
}

const actions = (pd: FakePagerDuty) =>
  pd.accepted.map((e) => [e['event_action'], e['dedup_key']] as [string, string]);

describe('grouping a storm into one incident, through the CLI', { timeout: 300_000 }, () => {
  it('50 checks on one host that goes down: one page and one email naming the host, listing the checks; an unrelated check alerts on its own; recovery resolves each once', async () => {
    const pd = await pagerDuty();
    const host = await appHost();
    const t = await setup();
    const write = (diskBroken: boolean) =>
      writeFile(t.configFile, stormConfig(host, 50, pd.url, { diskBroken }));

    await write(false);
    expect((await t.run()).alerts).toEqual([]);

    await host.down();
    await write(true);
    const storm = await t.run();
    expect(pd.received.every((r) => r.problems.length === 0)).toBe(true);
    const triggers = actions(pd);
    expect(triggers).toHaveLength(2);
    const groupKey = triggers.find(([, key]) => key !== 'root-disk')?.[1] as string;
    // One incident per suite and storm: its own dedup key.
    expect(groupKey).toMatch(/^storm\/group\//);
    expect(triggers).toEqual(
      expect.arrayContaining([
        ['trigger', groupKey],
        ['trigger', 'root-disk'],
      ]),
    );
    const page = pd.accepted.find((e) => e['dedup_key'] === groupKey) as {
      payload: { summary: string; custom_details: { checks: { check: string }[]; count: number } };
    };
    expect(page.payload.summary).toContain('50 checks failing');
    expect(page.payload.summary).toContain(`127.0.0.1`);
    expect(page.payload.custom_details.count).toBe(50);
    expect(page.payload.custom_details.checks.map((c) => c.check).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `svc-${i}`).sort(),
    );
    // Members are grouped in the run report; nothing of theirs went out on its own.
    expect(storm.alerts.filter((a) => a.grouped === groupKey)).toHaveLength(50);

    const stormEmails = await t.emails();
    expect(stormEmails).toHaveLength(1);
    const [email] = stormEmails as [Email];
    expect(email.to).toEqual(['oncall@example.com']);
    expect(email.body).toContain('50 checks failing');
    expect(email.body).toContain('connection refused');
    expect(email.body).toContain('127.0.0.1');
    for (let i = 0; i < 50; i++) expect(email.body).toMatch(new RegExp(`\\bsvc-${i}\\b`));
    // The unrelated check is in the same digest, as its own alert.
    expect(email.body).toContain('root-disk');
    expect(email.notifications?.map((n) => n.check).sort()).toEqual([groupKey, 'root-disk'].sort());

    const during = await t.status();
    const svc = during.checks.filter((c) => c.check.startsWith('svc-'));
    expect(svc.every((c) => c.group === groupKey && c.alerted !== 'ok')).toBe(true);
    expect(during.text).toContain('(grouped)');
    expect(during.groups).toMatchObject([{ key: groupKey, open: 50 }]);
    expect(during.groups[0]?.cause).toContain('127.0.0.1');
    expect(during.text).toContain(`Grouped incident ${groupKey}`);

    // Still down: nothing new.
    await t.run();
    expect(pd.accepted).toHaveLength(2);
    expect(await t.emails()).toHaveLength(1);

    await host.up();
    await write(false);
    await t.run();
    expect(actions(pd).slice(2)).toEqual(
      expect.arrayContaining([
        ['resolve', groupKey],
        ['resolve', 'root-disk'],
      ]),
    );
    expect(pd.accepted).toHaveLength(4);
    const all = await t.emails();
    expect(all).toHaveLength(2);
    expect(all[1]?.notifications?.map((n) => n.event)).toEqual(['resolve', 'resolve']);
    const after = await t.status();
    expect(after.checks.every((c) => c.alerted === 'ok' && c.group === null)).toBe(true);
    expect(after.groups).toEqual([]);
  });

  it('acceptance: 200 checks failing at once produce one page and one email per channel naming the shared cause; recovery one resolve per channel', async () => {
    const pd = await pagerDuty();
    const host = await appHost();
    const t = await setup();
    await writeFile(t.configFile, stormConfig(host, 200, pd.url, { diskBroken: false }));
    await t.run();
    await host.down();
    await t.run();
    expect(actions(pd).map(([action]) => action)).toEqual(['trigger']);
    expect(String((pd.accepted[0] as { payload: { summary: string } }).payload.summary)).toMatch(
      /^200 checks failing: connection refused .*at 127\.0\.0\.1/,
    );
    const emails = await t.emails();
    expect(emails).toHaveLength(1);
    expect(emails[0]?.subject).toContain('200 checks failing');
    await host.up();
    await t.run();
    expect(actions(pd).map(([action]) => action)).toEqual(['trigger', 'resolve']);
    expect(new Set(actions(pd).map(([, key]) => key)).size).toBe(1);
    expect(await t.emails()).toHaveLength(2);
  });

  it('grouping: false pages every check on its own (the off switch)', async () => {
    const pd = await pagerDuty();
    const host = await appHost();
    const t = await setup();
    await writeFile(
      t.configFile,
      stormConfig(host, 6, pd.url, { diskBroken: false, grouping: 'false' }),
    );
    await t.run();
    await host.down();
    await t.run();
    expect(
      actions(pd)
        .map(([, key]) => key)
        .sort(),
    ).toEqual(Array.from({ length: 6 }, (_, i) => `svc-${i}`).sort());
    // Still one email for the run: the digest.
    expect(await t.emails()).toHaveLength(1);
  });
});
