/**
 * Who may use a state dir at once, on SQLite's own file locks (fcntl: the kernel drops them when
 * a process dies, so a crashed or killed run never blocks the next). `lock.db` is a tiny SQLite
 * file in rollback-journal mode used as a reader-writer lock: every command that opens the store
 * holds a read transaction on it (a SHARED lock; any number at once), and `doctor`, which moves
 * files, takes it EXCLUSIVE, which waits for those to finish and keeps new ones out meanwhile.
 * The stores' own writes are serialised by the WAL files' locks, not here.
 */
import { join } from 'node:path';
import { type Database, openDatabase, sqliteFailure } from './sqlite.ts';
import { StoreBusyError } from './store-errors.ts';

export const guardFile = 'lock.db';

export interface StateDirGuard {
  release(): void;
}

function prepare(path: string, waitMs: number, readOnly: boolean): Database {
  const db = openDatabase(path, { busyTimeoutMs: waitMs, readOnly });
  if (!readOnly) {
    db.exec('PRAGMA journal_mode = DELETE');
    db.exec('CREATE TABLE IF NOT EXISTS guard (note TEXT)');
  }
  return db;
}

function held(db: Database): StateDirGuard {
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try {
        db.exec('ROLLBACK');
      } catch {
        // nothing was open
      }
      db.close();
    },
  };
}

/** Shared use of the state dir (run, status, history); waits up to `waitMs` while doctor repairs. */
export function shareStateDir(
  stateDir: string,
  waitMs: number,
  options: { readOnly?: boolean } = {},
): StateDirGuard {
  const path = join(stateDir, guardFile);
  let db: Database | undefined;
  try {
    db = prepare(path, waitMs, options.readOnly === true);
    db.exec('BEGIN');
    // A read inside the transaction takes the SHARED lock and keeps it until release().
    db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'guard'").get();
    return held(db);
  } catch (error) {
    db?.close();
    if (sqliteFailure(error) === 'busy') {
      throw new StoreBusyError(stateDir, 'healthcheck doctor (repairing it)', waitMs, stateDir);
    }
    throw error;
  }
}

/** Sole use of the state dir (doctor); waits up to `waitMs` for running commands to finish. */
export function takeStateDir(stateDir: string, waitMs: number): StateDirGuard {
  const path = join(stateDir, guardFile);
  let db: Database | undefined;
  try {
    db = prepare(path, waitMs, false);
    db.exec('BEGIN EXCLUSIVE');
    return held(db);
  } catch (error) {
    db?.close();
    if (sqliteFailure(error) === 'busy') {
      throw new StoreBusyError(stateDir, 'a running healthcheck command', waitMs, stateDir);
    }
    throw error;
  }
}
