import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { password, redisUrl, suffix } from './pool-servers.ts';

const tempDir = useTempDirs();
const mysqlUser = `hc_pool_cli_${suffix()}`;
const mysqlSecret = password();
const redisUser = `hc-pool-cli-${suffix()}`;
const redisSecret = password();
let admin: mysql.Connection;
const redis = createClient({ url: redisUrl, socket: { reconnectStrategy: false } });

beforeAll(async () => {
  admin = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
  await admin.query(`CREATE USER '${mysqlUser}'@'127.0.0.1' IDENTIFIED BY '${mysqlSecret}'`);
  await redis.connect();
  await redis.sendCommand(['ACL', 'SETUSER', redisUser, 'on', `>${redisSecret}`, '+@all']);
});

afterAll(async () => {
  await admin.query(`DROP USER IF EXISTS '${mysqlUser}'@'127.0.0.1'`);
  await admin.end();
  await redis.sendCommand(['ACL', 'DELUSER', redisUser]);
  await redis.close();
});

const config = (percent: { warning: number; critical: number }) => `
timezone: Asia/Ho_Chi_Minh
suites:
  - id: morning
    schedule: "cron(0 8 * * ? *)"
    checks: [erp-db, cache]
checks:
  - id: erp-db
    type: connection-pool
    engine: mysql
    url: mysql://${mysqlUser}:\${env:HC_POOL_DB_PASSWORD}@127.0.0.1:3306
    warningPercent: ${percent.warning}
    criticalPercent: ${percent.critical}
  - id: cache
    type: connection-pool
    engine: redis
    url: redis://${redisUser}:\${secret:pool/redis}@127.0.0.1:6379
`;

async function runWith(body: string, dbPassword: string) {
  const dir = await tempDir();
  const file = join(dir, 'healthchecks.yaml');
  await writeFile(file, body);
  const run = await runCli(
    ['run', '--config', file, '--format', 'json', '--state-dir', join(dir, 'state')],
    {
      cwd: dir,
      env: { HC_POOL_DB_PASSWORD: dbPassword, HEALTHCHECK_SECRET_POOL_REDIS: redisSecret },
    },
  );
  const everything = run.stdout + run.stderr;
  for (const secret of [mysqlSecret, redisSecret, dbPassword]) {
    expect(everything).not.toContain(secret);
  }
  return { run, report: JSON.parse(run.stdout) };
}

// Each run spawns a CLI on the TypeScript source; on a loaded 2-core machine that can take seconds.
const cliTestTimeout = 120_000;

describe('connection-pool through the CLI', () => {
  it(
    'exits 0 when both pools are fine, 2 over the thresholds, 3 on a wrong password',
    async () => {
      const fine = await runWith(config({ warning: 70, critical: 90 }), mysqlSecret);
      expect(fine.report.results).toMatchObject([
        { check: 'erp-db', type: 'connection-pool', status: 'ok', details: { engine: 'mysql' } },
        { check: 'cache', type: 'connection-pool', status: 'ok', details: { ping: 'PONG' } },
      ]);
      expect(fine.run.code).toBe(0);

      const full = await runWith(config({ warning: 0, critical: 0 }), mysqlSecret);
      expect(full.report.results[0]).toMatchObject({ check: 'erp-db', status: 'critical' });
      expect(full.run.code).toBe(2);

      const wrong = password();
      const denied = await runWith(config({ warning: 70, critical: 90 }), wrong);
      expect(denied.report.results[0]).toMatchObject({
        check: 'erp-db',
        status: 'unknown',
        summary: expect.stringMatching(
          new RegExp(`^mysql 127\\.0\\.0\\.1:3306: authentication failed for user ${mysqlUser}`),
        ),
      });
      expect(denied.report.results[1]).toMatchObject({ check: 'cache', status: 'ok' });
      expect(denied.run.code).toBe(3);
    },
    cliTestTimeout,
  );

  it(
    'validate names the bad field without printing the URL, and list shows the type',
    async () => {
      const dir = await tempDir();
      const file = join(dir, 'healthchecks.yaml');
      await writeFile(
        file,
        config({ warning: 70, critical: 90 }).replace('engine: mysql', 'engine: postgres'),
      );
      const env = { HC_POOL_DB_PASSWORD: mysqlSecret };
      const invalid = await runCli(['validate', '--config', file], { cwd: dir, env });
      expect(invalid.code).toBe(64);
      expect(invalid.stderr).toMatch(
        /checks\[0\]\.url: must start with postgres:\/\/ or postgresql:\/\/ for engine postgres/,
      );
      expect(invalid.stdout + invalid.stderr).not.toContain(mysqlSecret);

      await writeFile(file, config({ warning: 70, critical: 90 }));
      const list = await runCli(['list', '--config', file, '--format', 'json'], { cwd: dir, env });
      expect(list.code).toBe(0);
      expect(list.stdout + list.stderr).not.toContain(mysqlSecret);
      expect(JSON.parse(list.stdout).checks).toMatchObject([
        { id: 'erp-db', type: 'connection-pool' },
        { id: 'cache', type: 'connection-pool' },
      ]);
    },
    cliTestTimeout,
  );
});
