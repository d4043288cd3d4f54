import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/connection-pool/run.ts';
import { context, password, poolConfig, postgresUrl, suffix } from './pool-servers.ts';

const admin = new pg.Client({ connectionString: postgresUrl });
const role = `hc_pool_${suffix()}`;
const secret = password();
const roleUrl = `postgres://${role}:${encodeURIComponent(secret)}@127.0.0.1:5432/${role}`;

beforeAll(async () => {
  await admin.connect();
  await admin.query(`create role ${role} login password '${secret}'`);
  await admin.query(`create database ${role} owner ${role}`);
});

afterAll(async () => {
  await admin.query(
    `select pg_terminate_backend(pid) from pg_stat_activity where usename = '${role}'`,
  );
  await admin.query(`drop database if exists ${role} with (force)`);
  await admin.query(`drop role if exists ${role}`);
  await admin.end();
});

async function connectAs(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  return client;
}

describe('connection-pool postgres', () => {
  it('reports counts by state and the longest idle-in-transaction age, as its own role', async () => {
    const idleInTransaction = await connectAs(roleUrl);
    const busy = await connectAs(roleUrl);
    try {
      await idleInTransaction.query('begin');
      await idleInTransaction.query('select 1');
      const sleeping = busy.query('select pg_sleep(3)').catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const outcome = await run(poolConfig({ engine: 'postgres', url: roleUrl }), context());
      expect(outcome.status).toBe('ok');
      const details = outcome.details ?? {};
      expect(details).toMatchObject({
        engine: 'postgres',
        maxConnections: expect.any(Number),
        superuserReservedConnections: expect.any(Number),
      });
      expect(details['limit']).toBe(
        (details['maxConnections'] as number) -
          (details['superuserReservedConnections'] as number) -
          (details['reservedConnections'] as number),
      );
      const byState = details['byState'] as Record<string, number>;
      expect(byState['idle in transaction']).toBeGreaterThanOrEqual(1);
      expect(byState['active']).toBeGreaterThanOrEqual(1);
      expect(Object.values(byState).reduce((a, b) => a + b, 0)).toBe(details['used']);
      expect(details['longestIdleInTransactionSeconds']).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(outcome)).not.toContain(secret);
      await admin.query(
        `select pg_cancel_backend(pid) from pg_stat_activity where usename = $1 and state = 'active'`,
        [role],
      );
      await sleeping;
    } finally {
      await Promise.all([idleInTransaction.end(), busy.end()]);
    }
  });

  // This server trusts every 127.0.0.1 login (no password check), so a login the server rejects
  // is made with a role that may not log in; the password in the URL must still never surface.
  it('a rejected login is unknown with the user named and the password absent', async () => {
    const blocked = `hc_pool_nologin_${suffix()}`;
    const blockedSecret = password();
    await admin.query(`create role ${blocked} nologin password '${blockedSecret}'`);
    try {
      const outcome = await run(
        poolConfig({
          engine: 'postgres',
          url: `postgresql://${blocked}:${blockedSecret}@127.0.0.1:5432/postgres`,
        }),
        context(),
      );
      expect(outcome.status).toBe('unknown');
      expect(outcome.summary).toBe(
        `postgres 127.0.0.1:5432: authentication failed for user ${blocked} (role "${blocked}" is not permitted to log in)`,
      );
      expect(JSON.stringify(outcome)).not.toContain(blockedSecret);
    } finally {
      await admin.query(`drop role ${blocked}`);
    }
  });

  it('a server refusing the connection as full is critical', async () => {
    const limited = `hc_pool_limited_${suffix()}`;
    await admin.query(`create role ${limited} login connection limit 1`);
    const url = `postgres://${limited}@127.0.0.1:5432/postgres`;
    const holder = await connectAs(url);
    try {
      const outcome = await run(poolConfig({ engine: 'postgres', url }), context());
      expect(outcome.status).toBe('critical');
      expect(outcome.summary).toMatch(
        /^postgres 127\.0\.0\.1:5432: server refused the connection as full: too many connections for role/,
      );
    } finally {
      await holder.end();
      await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where usename = '${limited}'`,
      );
      await admin.query(`drop role ${limited}`);
    }
  });

  it('a missing database is unknown with the server reason', async () => {
    const outcome = await run(
      poolConfig({ engine: 'postgres', url: `${roleUrl}_missing` }),
      context(),
    );
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toBe(
      `postgres 127.0.0.1:5432: database "${role}_missing" does not exist`,
    );
    expect(JSON.stringify(outcome)).not.toContain(secret);
  });
});
