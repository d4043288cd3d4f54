import pg from 'pg';
import { withPostgres } from '../../db/postgres-client.ts';
import type { QueryRunner } from './query-rows.ts';

const dateOid = 1082;
const timestampOid = 1114;

/**
 * `date` and `timestamp without time zone` as the server prints them: pg-types would turn them
 * into instants in this process's time zone, and "lot expires 2026-12-20" must not shift a day.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === dateOid || oid === timestampOid
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export const runQuery: QueryRunner = (target, query, signal, progress) =>
  withPostgres(
    target,
    signal,
    { applicationName: query.applicationName, cancelOnAbort: true },
    async (client) => {
      progress.connected = true;
      const statementTimeoutMs = query.statementTimeoutMs();
      progress.statementTimeoutMs = statementTimeoutMs;
      // Read-only at the transaction level: the server refuses any write, DDL or nextval().
      // The idle timeout ends the session server-side should this client vanish mid-transaction.
      await client.query(
        `BEGIN READ ONLY; SET LOCAL statement_timeout = ${statementTimeoutMs}; SET LOCAL idle_in_transaction_session_timeout = ${query.sessionTimeoutMs}`,
      );
      // The extended protocol binds params server-side and refuses a second statement.
      const result = await client.query({
        text: query.text,
        values: [...query.params],
        rowMode: 'array',
        types,
        queryMode: 'extended',
      } as pg.QueryArrayConfig);
      await client.query('ROLLBACK');
      return { columns: result.fields.map((f) => f.name), rows: result.rows };
    },
  );
