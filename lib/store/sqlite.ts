/**
 * Node's built-in SQLite (`node:sqlite`, Node 22.5+; stable enough on 24 for our use), loaded on
 * demand with its one-time ExperimentalWarning kept off the user's terminal, plus the error
 * classification every store file shares.
 */
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';

type SqliteModule = typeof import('node:sqlite');
let loaded: SqliteModule | undefined;

/** `node:sqlite`, imported without printing "SQLite is an experimental feature" on stderr. */
export function sqliteModule(): SqliteModule {
  if (loaded) return loaded;
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/SQLite is an experimental feature/.test(text)) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    loaded = process.getBuiltinModule('node:sqlite') as SqliteModule;
  } finally {
    process.emitWarning = emitWarning;
  }
  return loaded;
}

export type Database = DatabaseSync;
export type SqlValue = SQLInputValue;

export interface OpenOptions {
  readonly readOnly?: boolean;
  /** Open a snapshot without locks or WAL files (a read-only directory). */
  readonly immutable?: boolean;
  /** How long a statement waits for another connection's lock (sqlite3_busy_timeout). */
  readonly busyTimeoutMs?: number;
}

export function openDatabase(path: string, options: OpenOptions = {}): Database {
  const { DatabaseSync } = sqliteModule();
  const location = options.immutable
    ? new URL(`file://${encodeURI(path).replaceAll('?', '%3F').replaceAll('#', '%23')}?immutable=1`)
    : path;
  return new DatabaseSync(location, {
    readOnly: options.readOnly === true || options.immutable === true,
    timeout: options.busyTimeoutMs ?? 0,
  });
}

/** What went wrong, from SQLite's primary result code (extended codes keep it in the low byte). */
export type SqliteFailure =
  | 'busy'
  | 'corrupt'
  | 'read-only'
  | 'cannot-open'
  | 'full'
  | 'io'
  | 'permission'
  | 'other';

const failures: Record<number, SqliteFailure> = {
  3: 'permission', // SQLITE_PERM
  5: 'busy', // SQLITE_BUSY
  6: 'busy', // SQLITE_LOCKED
  8: 'read-only', // SQLITE_READONLY
  10: 'io', // SQLITE_IOERR
  11: 'corrupt', // SQLITE_CORRUPT
  13: 'full', // SQLITE_FULL
  14: 'cannot-open', // SQLITE_CANTOPEN
  23: 'permission', // SQLITE_AUTH
  26: 'corrupt', // SQLITE_NOTADB
};

export function sqliteFailure(error: unknown): SqliteFailure | undefined {
  const code = (error as { errcode?: unknown }).errcode;
  if (typeof code !== 'number') return undefined;
  return failures[code & 0xff] ?? 'other';
}

/** SQLite's own words for the error ("database disk image is malformed"). */
export function sqliteReason(error: unknown): string {
  const e = error as { errstr?: string; message?: string };
  return e.errstr || e.message || String(error);
}

/** Runs `work` in one write transaction (BEGIN IMMEDIATE takes the write lock up front). */
export function inTransaction<T>(db: Database, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const out = work();
    db.exec('COMMIT');
    return out;
  } catch (error) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // The failure already ended the transaction (SQLite rolls back on some errors itself).
    }
    throw error;
  }
}

/**
 * SQLite's own page check, as one line ("pages do not check out: Tree 2 page 2: ..."), or
 * undefined when the file is sound. `quick` skips the index-content cross-check.
 */
export function pageProblem(db: Database, quick: boolean): string | undefined {
  const found = db
    .prepare(`PRAGMA ${quick ? 'quick_check' : 'integrity_check'}(20)`)
    .all()
    .flatMap((row) => String(Object.values(row)[0]).split('\n'))
    .map((line) => line.trim())
    .filter((line) => line !== 'ok' && line !== '' && !line.startsWith('***'))
    .filter((line) => !/never used$/.test(line));
  return found.length > 0 ? `pages do not check out: ${found.slice(0, 2).join('; ')}` : undefined;
}
