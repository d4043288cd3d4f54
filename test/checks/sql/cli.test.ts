import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { password, postgresUrl, suffix } from './sql-servers.ts';

const tempDir = useTempDirs();
const id = suffix();
const auth = `hc_auth_cli_${id}`;
const orders = `hc_orders_cli_${id}`;
const secret = password();
const pgAdmin = new pg.Client({ connectionString: postgresUrl });
let myAdmin: mysql.Connection;

beforeAll(async () => {
  await pgAdmin.connect();
  await pgAdmin.query(`
    create schema ${auth};
    create table ${auth}.login_attempts (email text, success boolean, created_at timestamptz);
    insert into ${auth}.login_attempts
      select 'victim@erp.example.vn', false, now() - interval '3 days' from generate_series(1, 11);`);
  myAdmin = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: 'test' });
  await myAdmin.query(`CREATE TABLE ${orders} (id INT AUTO_INCREMENT PRIMARY KEY, total INT)`);
  await myAdmin.query(`INSERT INTO ${orders} (total) SELECT seq FROM seq_1_to_10`);
});

afterAll(async () => {
  await pgAdmin.query(`drop schema if exists ${auth} cascade`);
  await pgAdmin.end();
  await myAdmin.query(`DROP TABLE IF EXISTS ${orders}`);
  await myAdmin.end();
});

const config = `
timezone: Asia/Ho_Chi_Minh
suites:
  - id: weekly
    schedule: "cron(0 9 ? * MON *)"
    checks: [failed-logins, order-growth]
checks:
  - id: failed-logins
    name: Failed logins > 10 in 7 days
    type: sql
    engine: postgres
    url: \${secret:erp/sql-url}
    query: >-
      select email, count(*) as failures from ${auth}.login_attempts
      where success = false and created_at > now() - make_interval(days => $1)
      group by email having count(*) > $2
    params: [7, 10]
    critical: 0
    redactColumns: [email]
    severity: P2
  - id: order-growth
    type: sql
    engine: mysql
    url: mysql://root@127.0.0.1:3306/test
    query: SELECT COUNT(*) FROM ${orders}
    measure: value
    label: orders
    growth: { warningPercent: 25 }
`;

const cliTestTimeout = 120_000;

describe('sql through the CLI', () => {
  it(
    'runs the weekly checks, alerts once, compares growth with the stored run, leaks nothing',
    async () => {
      const dir = await tempDir();
      const file = join(dir, 'healthchecks.yaml');
      await writeFile(file, config);
      const url = `postgres://postgres:${secret}@127.0.0.1:5432/test`;
      const args = ['run', '--config', file, '--format', 'json', '--state-dir', join(dir, 'state')];
      const env = { HEALTHCHECK_SECRET_ERP_SQL_URL: url };

      const first = await runCli(args, { cwd: dir, env });
      const everything = first.stdout + first.stderr;
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain('victim@');
      const report = JSON.parse(first.stdout);
      expect(report.results).toMatchObject([
        {
          check: 'failed-logins',
          status: 'critical',
          summary: '1 row > 0: email=*** failures=11',
        },
        { check: 'order-growth', status: 'ok', details: { value: 10 } },
      ]);
      expect(report.alerts).toEqual([
        expect.objectContaining({ check: 'failed-logins', event: 'trigger', severity: 'P2' }),
      ]);
      expect(first.code).toBe(2);

      await myAdmin.query(`INSERT INTO ${orders} (total) SELECT seq FROM seq_1_to_5`);
      const second = await runCli(args, { cwd: dir, env });
      const again = JSON.parse(second.stdout);
      expect(again.results[1]).toMatchObject({
        check: 'order-growth',
        status: 'warning',
        summary: expect.stringMatching(
          /^orders 15; \+50% since the previous value \d+m?s ago \(warning at \+25%\)$/,
        ),
      });
      // Still failing: no second trigger for the failed logins.
      expect(again.alerts).toEqual([
        expect.objectContaining({ check: 'order-growth', event: 'trigger' }),
      ]);
      expect(second.stdout + second.stderr).not.toContain(secret);
    },
    cliTestTimeout,
  );

  it(
    'validate rejects a second statement with the field path',
    async () => {
      const dir = await tempDir();
      const file = join(dir, 'healthchecks.yaml');
      await writeFile(
        file,
        config.replace(`SELECT COUNT(*) FROM ${orders}`, `"SELECT 1; DELETE FROM ${orders}"`),
      );
      const invalid = await runCli(['validate', '--config', file], { cwd: dir });
      expect(invalid.code).toBe(64);
      expect(invalid.stderr).toMatch(
        /checks\[1\]\.query: must be one statement: remove what follows the first ";"/,
      );
    },
    cliTestTimeout,
  );
});
