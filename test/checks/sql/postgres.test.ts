import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/sql/run.ts';
import {
  context,
  eventually,
  password,
  postgresUrl,
  recorded,
  type SqlConfig,
  sqlConfig,
  suffix,
} from './sql-servers.ts';

const id = suffix();
const erp = `hc_erp_${id}`;
const auth = `hc_auth_${id}`;
const admin = new pg.Client({ connectionString: postgresUrl });

beforeAll(async () => {
  await admin.connect();
  await admin.query(`
    create schema ${erp};
    create schema ${auth};
    create table ${erp}.stock (sku text primary key, name text, on_hand int, reorder_point int);
    insert into ${erp}.stock values
      ('A-1', 'Serum vitamin C', 0, 20), ('B-2', 'Toner', 3, 10), ('C-3', 'Mask', 50, 10);
    create table ${erp}.lots (lot_no text, sku text, expires_on date);
    insert into ${erp}.lots values
      ('L-100', 'A-1', current_date + 10), ('L-101', 'B-2', current_date + 90);
    create table ${erp}.approvals (id serial, title text, status text, requested_at timestamptz);
    insert into ${erp}.approvals (title, status, requested_at) values
      ('PO 7781 packaging', 'pending', now() - interval '9 days'),
      ('PO 7790 bottles', 'pending', now() - interval '2 days'),
      ('PO 7702 labels', 'approved', now() - interval '20 days');
    create table ${auth}.login_attempts (email text, success boolean, created_at timestamptz);
    insert into ${auth}.login_attempts
      select 'attacked@erp.example.vn', false, now() - interval '1 day' from generate_series(1, 14);
    insert into ${auth}.login_attempts
      select 'typo@erp.example.vn', false, now() - interval '2 days' from generate_series(1, 3);
    insert into ${auth}.login_attempts
      select 'old@erp.example.vn', false, now() - interval '30 days' from generate_series(1, 40);
    create table ${erp}.growing (id serial, payload text);
  `);
});

afterAll(async () => {
  await admin.query(`drop schema if exists ${erp} cascade; drop schema if exists ${auth} cascade`);
  await admin.end();
});

const pgCheck = (fields: Record<string, unknown>): SqlConfig =>
  sqlConfig({ engine: 'postgres', url: postgresUrl, ...fields });

async function sessionsNamed(applicationName: string): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    'select count(*)::int as n from pg_stat_activity where application_name = $1',
    [applicationName],
  );
  return rows[0]?.n ?? -1;
}

describe('sql check on PostgreSQL', () => {
  it('rows mode: low stock is a warning naming each item through the describe template', async () => {
    const outcome = await run(
      pgCheck({
        label: 'low stock',
        query: `select sku, name, on_hand from ${erp}.stock where on_hand < reorder_point order by on_hand`,
        warning: 0,
        describe: '{sku} {name}: {on_hand} left',
      }),
      context(),
    );
    expect(outcome.status).toBe('warning');
    expect(outcome.summary).toBe(
      'low stock 2 rows > 0: A-1 Serum vitamin C: 0 left; B-2 Toner: 3 left',
    );
    expect(outcome.details).toMatchObject({
      engine: 'postgres',
      measure: 'rows',
      value: 2,
      columns: ['sku', 'name', 'on_hand'],
      rows: [
        { sku: 'A-1', name: 'Serum vitamin C', on_hand: 0 },
        { sku: 'B-2', name: 'Toner', on_hand: 3 },
      ],
    });
  });

  it('rows mode: nothing found is ok, and listLimit bounds the rows kept', async () => {
    const none = await run(
      pgCheck({
        label: 'low stock',
        query: `select sku from ${erp}.stock where on_hand < 0`,
        warning: 0,
      }),
      context(),
    );
    expect(none).toMatchObject({ status: 'ok', summary: 'low stock 0 rows (warning > 0)' });
    const all = await run(
      pgCheck({ query: `select sku from ${erp}.stock order by sku`, critical: 1, listLimit: 1 }),
      context(),
    );
    expect(all.status).toBe('critical');
    expect(all.details).toMatchObject({ rows: [{ sku: 'A-1' }], rowCount: 3, rowsOmitted: 2 });
    expect(all.summary).toBe('3 rows > 1: sku=A-1; sku=B-2; sku=C-3');
  });

  it('failed logins > 10 in 7 days: params bound by the server, emails redacted everywhere', async () => {
    const outcome = await run(
      pgCheck({
        label: 'accounts with failed logins',
        query: `select email, count(*) as failures from ${auth}.login_attempts
                where success = false and created_at > now() - make_interval(days => $1)
                group by email having count(*) > $2 order by failures desc`,
        params: [7, 10],
        critical: 0,
        redactColumns: ['email'],
      }),
      context(),
    );
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toBe('accounts with failed logins 1 row > 0: email=*** failures=14');
    expect(outcome.details?.['rows']).toEqual([{ email: '***', failures: '14' }]);
    expect(JSON.stringify(outcome)).not.toContain('@erp.example.vn');
  });

  it('a param holding SQL is data, never part of the statement', async () => {
    const outcome = await run(
      pgCheck({
        query: `select sku from ${erp}.stock where sku = $1`,
        params: [`x'; drop table ${erp}.stock; --`],
        warning: 0,
      }),
      context(),
    );
    expect(outcome).toMatchObject({ status: 'ok', details: { value: 0 } });
    const { rows } = await admin.query(`select count(*)::int as n from ${erp}.stock`);
    expect(rows[0].n).toBe(3);
  });

  it('value mode: lots expiring within 30 days, dates shown as the server stores them', async () => {
    const count = await run(
      pgCheck({
        label: 'lots expiring within 30 days',
        query: `select count(*) from ${erp}.lots where expires_on < current_date + $1::int`,
        params: [30],
        measure: 'value',
        unit: 'count',
        warning: 0,
      }),
      context(),
    );
    expect(count).toMatchObject({
      status: 'warning',
      summary: 'lots expiring within 30 days 1 > 0',
      details: { value: 1 },
    });
    const { rows } = await admin.query<{ d: string }>(
      `select to_char(expires_on, 'YYYY-MM-DD') as d from ${erp}.lots where lot_no = 'L-100'`,
    );
    const listed = await run(
      pgCheck({
        query: `select lot_no, sku, expires_on from ${erp}.lots where expires_on < current_date + 30`,
        warning: 0,
        describe: 'lot {lot_no} ({sku}) expires {expires_on}',
      }),
      context(),
    );
    expect(listed.summary).toBe(`1 row > 0: lot L-100 (A-1) expires ${rows[0]?.d}`);
  });

  it('approvals pending more than 7 days', async () => {
    const outcome = await run(
      pgCheck({
        label: 'approvals pending > 7 days',
        query: `select id, title, date_part('day', now() - requested_at)::int as days
                from ${erp}.approvals where status = 'pending' and requested_at < now() - interval '7 days'`,
        warning: 0,
        describe: '{title} ({days} days)',
      }),
      context(),
    );
    expect(outcome).toMatchObject({
      status: 'warning',
      summary: 'approvals pending > 7 days 1 row > 0: PO 7781 packaging (9 days)',
    });
  });

  it('value mode needs a number: NULL, text or no rows are unknown, naming why', async () => {
    const nullValue = await run(
      pgCheck({
        query: `select max(on_hand) from ${erp}.stock where false`,
        measure: 'value',
        warning: 1,
      }),
      context(),
    );
    expect(nullValue.status).toBe('unknown');
    expect(nullValue.summary).toMatch(
      /measure value needs a number in the first column, but max is NULL$/,
    );
    const noRows = await run(
      pgCheck({
        query: `select on_hand from ${erp}.stock where false`,
        measure: 'value',
        warning: 1,
      }),
      context(),
    );
    expect(noRows.summary).toMatch(/the query returned no rows; measure value needs one row$/);
  });

  it('a redactColumns or describe column the query does not return is unknown, listing nothing', async () => {
    const outcome = await run(
      pgCheck({
        query: `select email from ${auth}.login_attempts`,
        warning: 0,
        redactColumns: ['mail'],
      }),
      context(),
    );
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toBe(
      'postgres 127.0.0.1:5432: redactColumns names "mail", which the query does not return (columns: email)',
    );
    expect(JSON.stringify(outcome)).not.toContain('@erp.example.vn');
  });

  it('growth: compares with the previous recorded value, across an unmeasured run', async () => {
    const check = pgCheck({
      label: 'table size',
      query: `select pg_total_relation_size($1)`,
      params: [`${erp}.growing`],
      measure: 'value',
      unit: 'bytes',
      growth: { warningPercent: 10, criticalPercent: 1000 },
    });
    const t0 = new Date(Date.now() - 7 * 86_400_000);
    const first = await run(check, context({ now: t0 }));
    expect(first.status).toBe('ok');
    expect(first.summary).toMatch(/growth: no previous value to compare with yet/);
    const before = first.details?.['value'] as number;

    await admin.query(
      `insert into ${erp}.growing (payload) select repeat('x', 200) from generate_series(1, 5000)`,
    );
    // A run that cannot connect keeps the baseline for the next one.
    const down = await run(
      { ...check, url: 'postgres://postgres@127.0.0.1:1/test' },
      context({ previous: recorded(first, t0), now: new Date(t0.getTime() + 86_400_000) }),
    );
    expect(down.status).toBe('unknown');
    const second = await run(check, context({ previous: recorded(down, new Date()) }));
    const after = second.details?.['value'] as number;
    expect(after).toBeGreaterThan(before);
    const percent = Math.round(((after - before) * 1000) / before) / 10;
    expect(second.details?.['growth']).toMatchObject({
      previousValue: before,
      growthPercent: percent,
    });
    expect(second.status).toBe(percent >= 1000 ? 'critical' : percent >= 10 ? 'warning' : 'ok');
    expect(second.summary).toMatch(
      /since the previous value 7d ago \(warning at \+10%, critical at \+1000%\)$/,
    );

    const third = await run(check, context({ previous: recorded(second, new Date()) }));
    expect(third.status).toBe('ok');
    expect(third.details?.['growth']).toMatchObject({ previousValue: after, growthPercent: 0 });
  });

  it.each([
    ['an insert', (t: string) => `insert into ${t} (payload) values ('written')`],
    [
      'a data-modifying CTE',
      (t: string) => `with d as (delete from ${t} returning id) select count(*) from d`,
    ],
    ['DDL', (t: string) => `alter table ${t} add column sneaky int`],
    ['nextval()', (t: string) => `select nextval(pg_get_serial_sequence('${t}', 'id'))`],
  ])(
    'a write (%s) is refused as unknown with the server message, changing nothing',
    async (_, sql) => {
      const table = `${erp}.growing`;
      const count = async () =>
        (await admin.query(`select count(*)::int as n, max(id) as max from ${table}`)).rows[0];
      const columns = async () =>
        (
          await admin.query(
            `select count(*)::int as n from information_schema.columns where table_schema = $1 and table_name = 'growing'`,
            [erp],
          )
        ).rows[0].n;
      const before = { rows: await count(), columns: await columns() };
      const outcome = await run(pgCheck({ query: sql(table), warning: 0 }), context());
      expect(outcome.status).toBe('unknown');
      expect(outcome.summary).toMatch(
        /^postgres 127\.0\.0\.1:5432: refused: the statement would write, and the check runs read-only \(cannot execute [A-Z a-z]+(\(\))? in a read-only transaction\)$/,
      );
      expect({ rows: await count(), columns: await columns() }).toEqual(before);
    },
  );

  it('a second statement smuggled past validation is refused by the server', async () => {
    const config = { ...pgCheck({ query: 'select 1', warning: 0 }) };
    const smuggled = { ...config, query: `select 1; drop table ${erp}.growing` };
    const outcome = await run(smuggled, context());
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(/cannot insert multiple commands into a prepared statement/);
    const { rows } = await admin.query('select to_regclass($1) as t', [`${erp}.growing`]);
    expect(rows[0].t).not.toBeNull();
  });

  it('a slow query is stopped by the server inside the deadline, and its session is gone', async () => {
    const checkId = `slow-${id}`;
    const started = Date.now();
    const outcome = await run(
      { ...pgCheck({ query: 'select pg_sleep(30)', warning: 0, timeoutSeconds: 5 }), id: checkId },
      context(),
    );
    // The server stops it at 80% of the deadline (4 s), well before the deadline itself.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(
      /^postgres 127\.0\.0\.1:5432: query stopped by the server after [\d.]+ s \(the statement timeout the check sets inside timeoutSeconds\): canceling statement due to statement timeout$/,
    );
    expect(
      await eventually(async () => (await sessionsNamed(`healthcheck sql ${checkId}`)) === 0),
    ).toBe(true);
  });

  it('a query cut off by the run budget is cancelled on the server and the session ends', async () => {
    const checkId = `cut-${id}`;
    const name = `healthcheck sql ${checkId}`;
    const budget = new AbortController();
    const running = run(
      { ...pgCheck({ query: 'select pg_sleep(60)', warning: 0, timeoutSeconds: 60 }), id: checkId },
      context({ signal: budget.signal }),
    );
    expect(
      await eventually(async () => {
        const { rows } = await admin.query(
          `select count(*)::int as n from pg_stat_activity where application_name = $1 and query like 'select pg_sleep%' and state = 'active'`,
          [name],
        );
        return rows[0].n === 1;
      }),
    ).toBe(true);
    budget.abort();
    const outcome = await running;
    expect(outcome).toMatchObject({
      status: 'unknown',
      summary:
        'postgres 127.0.0.1:5432: stopped at the check deadline before the query finished; it was cancelled on the server',
    });
    expect(await eventually(async () => (await sessionsNamed(name)) === 0)).toBe(true);
  });

  it('a syntax error is unknown with the server message and where it is', async () => {
    const outcome = await run(pgCheck({ query: 'selec sku from nowhere', warning: 0 }), context());
    expect(outcome).toMatchObject({
      status: 'unknown',
      summary:
        'postgres 127.0.0.1:5432: query failed: syntax error at or near "selec" (at character 1)',
    });
  });

  it('an unreachable server is unknown and the password never shows', async () => {
    const secret = password();
    const outcome = await run(
      pgCheck({
        url: `postgres://monitor:${secret}@127.0.0.1:1/test`,
        query: 'select 1',
        warning: 0,
      }),
      context(),
    );
    expect(outcome).toMatchObject({
      status: 'unknown',
      summary: 'postgres 127.0.0.1:1: connection refused',
    });
    expect(JSON.stringify(outcome)).not.toContain(secret);
  });
});
