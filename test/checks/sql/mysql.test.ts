import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/sql/run.ts';
import {
  context,
  eventually,
  password,
  recorded,
  type SqlConfig,
  sqlConfig,
  suffix,
} from './sql-servers.ts';

const id = suffix();
const stock = `hc_stock_${id}`;
const logins = `hc_login_attempts_${id}`;
// Its own user, allowed to write, so the read-only transaction (not a grant) is what refuses writes
// and its sessions can be found in the processlist.
const user = `hc_sql_${id}`;
const secret = password();
const url = `mysql://${user}:${encodeURIComponent(secret)}@127.0.0.1:3306/test`;
let admin: mysql.Connection;

beforeAll(async () => {
  admin = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: 'test' });
  await admin.query(
    `CREATE TABLE ${stock} (sku VARCHAR(20) PRIMARY KEY, name VARCHAR(80), on_hand INT, reorder_point INT)`,
  );
  await admin.query(
    `INSERT INTO ${stock} VALUES ('A-1', 'Serum vitamin C', 0, 20), ('B-2', 'Toner', 3, 10), ('C-3', 'Mask', 50, 10)`,
  );
  await admin.query(
    `CREATE TABLE ${logins} (email VARCHAR(120), success BOOLEAN, created_at DATETIME)`,
  );
  await admin.query(
    `INSERT INTO ${logins} SELECT 'attacked@erp.example.vn', FALSE, NOW() - INTERVAL 1 DAY FROM seq_1_to_12`,
  );
  await admin.query(
    `INSERT INTO ${logins} SELECT 'old@erp.example.vn', FALSE, NOW() - INTERVAL 30 DAY FROM seq_1_to_40`,
  );
  await admin.query(`CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY '${secret}'`);
  await admin.query(`GRANT ALL ON test.${stock} TO '${user}'@'127.0.0.1'`);
  await admin.query(`GRANT ALL ON test.${logins} TO '${user}'@'127.0.0.1'`);
  await admin.query(`GRANT CREATE, DROP ON test.* TO '${user}'@'127.0.0.1'`);
});

afterAll(async () => {
  await admin.query(`DROP USER IF EXISTS '${user}'@'127.0.0.1'`);
  await admin.query(`DROP TABLE IF EXISTS ${stock}, ${logins}, hc_sneaky_${id}`);
  await admin.end();
});

const myCheck = (fields: Record<string, unknown>): SqlConfig =>
  sqlConfig({ engine: 'mysql', url, ...fields });

async function sessionsOfUser(): Promise<number> {
  const [rows] = await admin.query<mysql.RowDataPacket[]>(
    'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ?',
    [user],
  );
  return Number(rows[0]?.['n']);
}

describe('sql check on MariaDB', () => {
  it('rows mode with describe, and the password nowhere in the outcome', async () => {
    const outcome = await run(
      myCheck({
        label: 'low stock',
        query: `SELECT sku, name, on_hand FROM ${stock} WHERE on_hand < reorder_point ORDER BY on_hand`,
        warning: 0,
        describe: '{sku} {name}: {on_hand} left',
      }),
      context(),
    );
    expect(outcome).toMatchObject({
      status: 'warning',
      summary: 'low stock 2 rows > 0: A-1 Serum vitamin C: 0 left; B-2 Toner: 3 left',
      details: {
        engine: 'mysql',
        value: 2,
        rows: [
          { sku: 'A-1', on_hand: 0 },
          { sku: 'B-2', on_hand: 3 },
        ],
      },
    });
    expect(JSON.stringify(outcome)).not.toContain(secret);
  });

  it('failed logins with ? params bound by the server and emails redacted', async () => {
    const outcome = await run(
      myCheck({
        query: `SELECT email, COUNT(*) AS failures FROM ${logins}
                WHERE success = FALSE AND created_at > NOW() - INTERVAL ? DAY
                GROUP BY email HAVING COUNT(*) > ?`,
        params: [7, 10],
        critical: 0,
        redactColumns: ['email'],
      }),
      context(),
    );
    expect(outcome).toMatchObject({
      status: 'critical',
      summary: '1 row > 0: email=*** failures=12',
    });
    expect(JSON.stringify(outcome)).not.toContain('@erp.example.vn');
  });

  it('value mode with growth across runs', async () => {
    const check = myCheck({
      label: 'stock rows',
      query: `SELECT COUNT(*) FROM ${stock}`,
      measure: 'value',
      growth: { warningPercent: 20 },
    });
    const t0 = new Date(Date.now() - 86_400_000);
    const first = await run(check, context({ now: t0 }));
    expect(first).toMatchObject({ status: 'ok', details: { value: 3 } });
    await admin.query(`INSERT INTO ${stock} VALUES ('D-4', 'Cleanser', 8, 5)`);
    const second = await run(check, context({ previous: recorded(first, t0) }));
    expect(second).toMatchObject({
      status: 'warning',
      summary: 'stock rows 4; +33.3% since the previous value 1d ago (warning at +20%)',
      details: { growth: { previousValue: 3, growthPercent: 33.3 } },
    });
    await admin.query(`DELETE FROM ${stock} WHERE sku = 'D-4'`);
  });

  it.each([
    ['an insert', `INSERT INTO ${stock} VALUES ('Z-9', 'x', 1, 1)`],
    ['an update', `UPDATE ${stock} SET on_hand = 999`],
    ['DDL, which would commit implicitly', `CREATE TABLE hc_sneaky_${id} (a INT)`],
    ['a drop', `DROP TABLE ${stock}`],
  ])(
    'a write (%s) is refused as unknown with the server message, changing nothing',
    async (_, sql) => {
      const snapshot = async () => {
        const [rows] = await admin.query<mysql.RowDataPacket[]>(
          `SELECT (SELECT COUNT(*) FROM ${stock}) AS n, (SELECT SUM(on_hand) FROM ${stock}) AS total,
                (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'test' AND TABLE_NAME = 'hc_sneaky_${id}') AS sneaky`,
        );
        return rows[0];
      };
      const before = await snapshot();
      const outcome = await run(myCheck({ query: sql, warning: 0 }), context());
      expect(outcome.status).toBe('unknown');
      expect(outcome.summary).toBe(
        'mysql 127.0.0.1:3306: refused: the statement would write, and the check runs read-only (Cannot execute statement in a READ ONLY transaction)',
      );
      expect(await snapshot()).toEqual(before);
    },
  );

  it('a slow query is stopped by max_statement_time inside the deadline; the session is gone', async () => {
    const started = Date.now();
    const outcome = await run(
      myCheck({
        query: 'SELECT SLEEP(30) AS slept',
        measure: 'value',
        warning: 1,
        timeoutSeconds: 5,
      }),
      context(),
    );
    // The server stops it at 80% of the deadline (4 s), well before the deadline itself.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(
      /^mysql 127\.0\.0\.1:3306: query stopped by the server after [\d.]+ s \(the statement timeout the check sets inside timeoutSeconds\): .*max_statement_time/,
    );
    expect(await eventually(async () => (await sessionsOfUser()) === 0)).toBe(true);
  });

  it('a query cut off by the run budget is killed on the server', async () => {
    const budget = new AbortController();
    const running = run(
      myCheck({ query: 'SELECT SLEEP(60)', measure: 'value', warning: 1, timeoutSeconds: 60 }),
      context({ signal: budget.signal }),
    );
    expect(
      await eventually(async () => {
        const [rows] = await admin.query<mysql.RowDataPacket[]>(
          "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ? AND INFO LIKE 'SELECT SLEEP(60)%'",
          [user],
        );
        return Number(rows[0]?.['n']) === 1;
      }),
    ).toBe(true);
    budget.abort();
    const outcome = await running;
    expect(outcome).toMatchObject({
      status: 'unknown',
      summary:
        'mysql 127.0.0.1:3306: stopped at the check deadline before the query finished; it was cancelled on the server',
    });
    expect(await eventually(async () => (await sessionsOfUser()) === 0)).toBe(true);
  });

  it('a second statement is refused by the server even if it got past validation', async () => {
    const smuggled = {
      ...myCheck({ query: 'SELECT 1', warning: 0 }),
      query: `SELECT 1; DROP TABLE ${stock}`,
    };
    const outcome = await run(smuggled, context());
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(
      /^mysql 127\.0\.0\.1:3306: query failed: You have an error in your SQL syntax/,
    );
    const [rows] = await admin.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${stock}`);
    expect(Number(rows[0]?.['n'])).toBe(3);
  });

  it('a wrong password is unknown, naming the user, never the password', async () => {
    const wrong = password();
    const outcome = await run(
      myCheck({
        url: `mysql://${user}:${wrong}@127.0.0.1:3306/test`,
        query: 'SELECT 1',
        warning: 0,
      }),
      context(),
    );
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(
      new RegExp(`^mysql 127\\.0\\.0\\.1:3306: authentication failed for user ${user}`),
    );
    expect(JSON.stringify(outcome)).not.toContain(wrong);
  });
});
