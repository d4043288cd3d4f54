/**
 * The local store's two SQLite files. Alert state (small, precious: what was paged, what is
 * still to deliver) and run history (large, append-mostly) live apart, so damage to the big file
 * never costs an open incident, and the state file is small enough to verify on every open.
 * Each row carries a CRC-32 of its JSON body: SQLite checks its page structure, not our bytes.
 */
import { crc32 } from 'node:zlib';
import { type Database, inTransaction } from './sqlite.ts';

export interface StoreFileKind {
  readonly file: string;
  /** PRAGMA application_id: tells our files from any other SQLite database. */
  readonly applicationId: number;
  /** PRAGMA user_version this code writes and reads. */
  readonly format: number;
  readonly table: string;
  readonly ddl: string;
  /**
   * Tables added after the file's format was fixed, created when missing (`IF NOT EXISTS`) by
   * every read-write open: adding one needs no format change, and older files gain it in place.
   */
  readonly additions?: { readonly table: string; readonly ddl: string }[];
}

export const stateFile: StoreFileKind = {
  file: 'state.db',
  applicationId: 0x48435354, // "HCST"
  format: 1,
  table: 'check_state',
  ddl: `
    CREATE TABLE check_state (
      id INTEGER PRIMARY KEY,
      check_id TEXT NOT NULL UNIQUE,
      version INTEGER NOT NULL,
      body TEXT NOT NULL,
      crc INTEGER NOT NULL
    );`,
  additions: [
    {
      // Grouped incidents (lib/alerting/incident-group.ts), per suite; `-` for no single suite.
      table: 'incident_group',
      ddl: `
    CREATE TABLE IF NOT EXISTS incident_group (
      id INTEGER PRIMARY KEY,
      suite TEXT NOT NULL,
      group_key TEXT NOT NULL UNIQUE,
      version INTEGER NOT NULL,
      done INTEGER NOT NULL DEFAULT 0,
      body TEXT NOT NULL,
      crc INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS incident_group_suite ON incident_group (suite, done);`,
    },
  ],
};

export const historyFile: StoreFileKind = {
  file: 'history.db',
  applicationId: 0x48434849, // "HCHI"
  format: 1,
  table: 'run_history',
  ddl: `
    CREATE TABLE run_history (
      id INTEGER PRIMARY KEY,
      check_id TEXT NOT NULL,
      run_key TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      body TEXT NOT NULL,
      crc INTEGER NOT NULL,
      UNIQUE (check_id, run_key)
    );
    CREATE INDEX run_history_expiry ON run_history (expires_at);`,
};

export const storeFiles = [stateFile, historyFile] as const;

export function checksum(body: string): number {
  return crc32(body);
}

export type SchemaProblem =
  | { readonly kind: 'foreign'; readonly applicationId: number }
  | { readonly kind: 'newer'; readonly format: number }
  | { readonly kind: 'no-table' };

function pragmaNumber(db: Database, name: string): number {
  const row = db.prepare(`PRAGMA ${name}`).get() as Record<string, unknown> | undefined;
  return Number(row ? Object.values(row)[0] : 0);
}

/** What is wrong with an opened file's identity or layout, if anything. */
export function schemaProblem(db: Database, kind: StoreFileKind): SchemaProblem | undefined {
  const applicationId = pragmaNumber(db, 'application_id');
  const format = pragmaNumber(db, 'user_version');
  if (applicationId === 0 && format === 0) return undefined; // new, empty file
  if (applicationId !== kind.applicationId) return { kind: 'foreign', applicationId };
  if (format > kind.format) return { kind: 'newer', format };
  const table = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name = ?")
    .get(kind.table);
  return table ? undefined : { kind: 'no-table' };
}

/** WAL (readers never wait for the writer; a killed writer leaves nothing half-written). */
export function configureWritable(db: Database): void {
  // NORMAL in WAL mode: a crashed process loses nothing committed; only a power cut can roll
  // back the last commits (never corrupts). FULL would cost an fsync per check's state write.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
}

/** Creates the tables in a new file; a no-op for a file that has them. */
export function ensureSchema(db: Database, kind: StoreFileKind): void {
  if (pragmaNumber(db, 'application_id') !== kind.applicationId) {
    inTransaction(db, () => {
      if (pragmaNumber(db, 'application_id') === kind.applicationId) return;
      db.exec(kind.ddl);
      db.exec(
        `PRAGMA application_id = ${kind.applicationId}; PRAGMA user_version = ${kind.format};`,
      );
    });
  }
  for (const addition of kind.additions ?? []) {
    if (!hasTable(db, addition.table)) inTransaction(db, () => db.exec(addition.ddl));
  }
}

export function hasTable(db: Database, table: string): boolean {
  return (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) !==
    undefined
  );
}
