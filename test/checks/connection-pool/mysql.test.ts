import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/connection-pool/run.ts';
import { context, password, poolConfig, suffix } from './pool-servers.ts';

let admin: mysql.Connection;
const user = `hc_pool_${suffix()}`;
const secret = password();
const limitedUser = `hc_pool_lim_${suffix()}`;

beforeAll(async () => {
  admin = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
  await admin.query(`CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY '${secret}'`);
  await admin.query(`GRANT PROCESS ON *.* TO '${user}'@'127.0.0.1'`);
  await admin.query(`CREATE USER '${limitedUser}'@'127.0.0.1' WITH MAX_USER_CONNECTIONS 1`);
});

afterAll(async () => {
  await admin.query(`DROP USER IF EXISTS '${user}'@'127.0.0.1'`);
  await admin.query(`DROP USER IF EXISTS '${limitedUser}'@'127.0.0.1'`);
  await admin.end();
});

describe('connection-pool mysql', () => {
  it('measures as its own user with Max_used_connections in details', async () => {
    const outcome = await run(
      poolConfig({
        engine: 'mysql',
        url: `mysql://${user}:${encodeURIComponent(secret)}@127.0.0.1:3306`,
      }),
      context(),
    );
    expect(outcome.status).toBe('ok');
    const details = outcome.details ?? {};
    expect(details).toMatchObject({ engine: 'mysql', serverVersion: expect.stringMatching(/\d/) });
    expect(details['used']).toBe((details['threadsConnected'] as number) - 1);
    expect(details['maxUsedConnections']).toBeGreaterThanOrEqual(
      details['threadsConnected'] as number,
    );
    expect(details['limit']).toBe(details['maxConnections']);
    expect(JSON.stringify(outcome)).not.toContain(secret);
  });

  it('a wrong password is unknown, names the user, and never shows either password', async () => {
    const wrong = password();
    const outcome = await run(
      poolConfig({ engine: 'mysql', url: `mariadb://${user}:${wrong}@127.0.0.1:3306/mysql` }),
      context(),
    );
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(
      new RegExp(
        `^mysql 127\\.0\\.0\\.1:3306: authentication failed for user ${user} \\(Access denied`,
      ),
    );
    const text = JSON.stringify(outcome);
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(secret);
  });

  it('a server refusing the connection as full is critical', async () => {
    const holder = await mysql.createConnection({ host: '127.0.0.1', user: limitedUser });
    try {
      const outcome = await run(
        poolConfig({ engine: 'mysql', url: `mysql://${limitedUser}@127.0.0.1:3306` }),
        context(),
      );
      expect(outcome.status).toBe('critical');
      expect(outcome.summary).toMatch(
        /^mysql 127\.0\.0\.1:3306: server refused the connection as full: .*max_user_connections/,
      );
    } finally {
      await holder.end();
    }
  });
});
