import type { FieldPacket } from 'mysql2';
import { withMysql } from '../../db/mysql-connection.ts';
import type { QueryRunner } from './query-rows.ts';

export const runQuery: QueryRunner = (target, query, signal, progress) =>
  withMysql(target, signal, { killOnAbort: true }, async (db, session) => {
    progress.connected = true;
    const statementTimeoutMs = query.statementTimeoutMs();
    progress.statementTimeoutMs = statementTimeoutMs;
    // The session default makes even a DDL statement (which commits implicitly and starts afresh)
    // run read-only; the explicit transaction is rolled back whatever the statement did.
    await db.query('SET SESSION TRANSACTION READ ONLY');
    await db.query(
      session.mariaDb
        ? `SET SESSION max_statement_time = ${(statementTimeoutMs / 1000).toFixed(3)}`
        : `SET SESSION max_execution_time = ${statementTimeoutMs}`,
    );
    await db.query('START TRANSACTION READ ONLY');
    // With params, the binary protocol binds them server-side. Without, the text protocol runs
    // statements the binary one cannot prepare (some SHOW forms); multipleStatements stays off,
    // so the server still parses exactly one statement.
    const options = { sql: query.text, rowsAsArray: true, dateStrings: true };
    const [rows, fields] = (query.params.length > 0
      ? await db.execute(options, [...query.params])
      : await db.query(options)) as unknown as [unknown[][] | object, FieldPacket[] | undefined];
    await db.query('ROLLBACK');
    return {
      columns: (fields ?? []).map((f) => f.name),
      // A statement without a result set (it should have been refused) yields a header packet.
      rows: Array.isArray(rows) ? rows : [],
    };
  });
