import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppHost, startAppHost } from '../support/app-host.ts';
import { type FakePagerDuty, startFakePagerDuty } from '../support/fake-pagerduty.ts';
import { pagingEnv } from '../support/paging-config.ts';
import { freePort } from '../support/prometheus-server.ts';
import { runCli } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const children = Array.from({ length: 10 }, (_, i) => `app-${i}`);

/**
 * A database (connection-pool check: the shared PostgreSQL when up, a closed port when down)
 * and ten HTTP checks of an app that depend on it. Grouping is off so each child's own alerts
 * are visible.
 */
function config(host: AppHost, pdUrl: string, dbPort: number): string {
  const apps = children.map(
    (id) => `  - id: ${id}
    type: http
    url: ${host.url(id)}
    dependsOn: [erp-db]`,
  );
  return `timezone: UTC
defaults:
  severity: P1
  timeoutSeconds: 5
  grouping: false
checks:
  - id: erp-db
    type: connection-pool
    engine: postgres
    url: postgres://postgres@127.0.0.1:${dbPort}/test
    warningPercent: 100
    criticalPercent: 100
${apps.join('\n')}
notifications:
  email: [oncall@example.com]
  pagerduty:
    routingKey: \${env:PD_KEY}
    url: ${pdUrl}
`;
}

describe('dependsOn through the CLI', { timeout: 300_000 }, () => {
  it('database down with ten dependent HTTP checks: one trigger, children suppressed and shown in status; children resolves are never suppressed', async () => {
    const pd: FakePagerDuty = await startFakePagerDuty();
    cleanups.push(() => pd.close());
    const host = await startAppHost();
    cleanups.push(() => host.down());
    const dir = await tempDir();
    const configFile = join(dir, 'healthchecks.yaml');
    const stateDir = join(dir, 'state');
    const closed = await freePort();
    const dbDown = () => writeFile(configFile, config(host, pd.url, closed));
    const dbUp = () => writeFile(configFile, config(host, pd.url, 5432));
    const run = async () => {
      const r = await runCli(
        ['run', '--config', configFile, '--state-dir', stateDir, '--format', 'json'],
        { env: pagingEnv },
      );
      return JSON.parse(r.stdout) as {
        alerts: { check: string; event: string; suppressedBy?: string[] }[];
      };
    };
    const status = async (format: 'json' | 'table') =>
      runCli(['status', '--config', configFile, '--state-dir', stateDir, '--format', format]);
    const emails = async () =>
      (await readFile(join(stateDir, 'outbox.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { body: string; subject: string });
    const sent = () => pd.accepted.map((e) => `${e['event_action']} ${e['dedup_key']}`);

    // 1. The database is down and the app answers 503 because of it: one page, the database's.
    await dbDown();
    host.status = 503;
    const first = await run();
    expect(sent()).toEqual(['trigger erp-db']);
    const page = pd.accepted[0] as {
      payload: { summary: string; custom_details: { suppressedDependents: string[] } };
    };
    expect(page.payload.summary).toContain('suppressed 10 dependent checks');
    expect(page.payload.custom_details.suppressedDependents.sort()).toEqual([...children].sort());
    expect(first.alerts.filter((a) => a.suppressedBy?.includes('erp-db'))).toHaveLength(10);
    const [email] = await emails();
    expect(email?.body).toContain('Suppressed 10 dependent checks');
    const json = JSON.parse((await status('json')).stdout).checks as {
      check: string;
      status: string;
      suppressedBy: string[] | null;
    }[];
    for (const id of children) {
      // Results and state are still recorded: the child is failing, its alert suppressed.
      expect(json.find((c) => c.check === id)).toMatchObject({
        status: 'critical',
        suppressedBy: ['erp-db'],
      });
    }
    expect((await status('table')).stdout).toContain('suppressed (erp-db failing)');

    // 2. The database is back but the app still fails: now the children are their own problem.
    await dbUp();
    await run();
    expect(sent().slice(1).sort()).toEqual(
      ['resolve erp-db', ...children.map((c) => `trigger ${c}`)].sort(),
    );

    // 3. The database fails again while the children's incidents are open: only it pages.
    await dbDown();
    await run();
    expect(sent().slice(12)).toEqual(['trigger erp-db']);

    // 4. The app recovers while the database is still down: the children's resolves go out.
    host.status = 200;
    await run();
    expect(sent().slice(13).sort()).toEqual(children.map((c) => `resolve ${c}`).sort());
    // Every run sent one email (a digest) at most.
    expect(await emails()).toHaveLength(4);
  });

  it('rejects an unknown id (with a suggestion) and a cycle, naming the field path', async () => {
    const dir = await tempDir();
    const configFile = join(dir, 'healthchecks.yaml');
    await writeFile(
      configFile,
      `checks:
  - id: erp-db
    type: disk
    paths: [/]
    dependsOn: [erp-app]
  - id: erp-app
    type: disk
    paths: [/]
    dependsOn: [erp-db, erp-dbb]
`,
    );
    const r = await runCli(['validate', '--config', configFile]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'checks[1].dependsOn[1]: no check with id "erp-dbb"; did you mean "erp-db"?',
    );
    expect(r.stderr).toContain(
      'checks[0].dependsOn: dependency cycle: erp-db -> erp-app -> erp-db',
    );
  });
});
