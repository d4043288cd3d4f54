/**
 * Opens the CLI's store in a state dir: two SQLite files in WAL mode (lib/store/sqlite-schema.ts)
 * behind the shared-use guard (lib/store/state-dir-guard.ts). Every way this can fail becomes a
 * StoreError naming the path, the problem and the recovery. `read-only` opens never create or
 * change anything, so `status` and `history` work on a read-only dir and during a run.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { legacyDir, needsLegacyImport } from './legacy-store.ts';
import { type Database, openDatabase, pageProblem, sqliteFailure } from './sqlite.ts';
import {
  configureWritable,
  ensureSchema,
  historyFile,
  type StoreFileKind,
  schemaProblem,
  stateFile,
} from './sqlite-schema.ts';
import { SqliteResultStore } from './sqlite-store.ts';
import { type StateDirGuard, shareStateDir } from './state-dir-guard.ts';
import {
  doctorCommand,
  StateDirNotFoundError,
  StoreDamagedError,
  type StoreError,
  StoreMissingError,
  StoreNewerFormatError,
  StoreNotADirectoryError,
  StoreReadOnlyError,
  StoreUnavailableError,
} from './store-errors.ts';
import { fileSystemFailure, storeFailure } from './store-failure.ts';
import { readMarker, writeMarker } from './store-marker.ts';

export type StoreAccess = 'read-write' | 'read-only';

export interface OpenLocalStoreOptions {
  readonly access: StoreAccess;
  /**
   * How long to wait for another process's lock: a write of an overlapping run, or doctor at
   * work. A run passes its own checks' budget.
   */
  readonly waitMs: number;
  readonly now?: () => Date;
}

export interface LocalStore {
  readonly store: SqliteResultStore;
  readonly stateDir: string;
  readonly statePath: string;
  readonly historyPath: string;
  /** What a one-time import of an old dynalite state dir brought in, when this open did one. */
  readonly imported?: { readonly states: number; readonly runs: number; readonly movedTo: string };
  close(): void;
}

function schemaError(
  db: Database,
  kind: StoreFileKind,
  path: string,
  stateDir: string,
): StoreError | undefined {
  const problem = schemaProblem(db, kind);
  if (!problem) return undefined;
  if (problem.kind === 'newer')
    return new StoreNewerFormatError(
      path,
      `format ${problem.format}; this version reads up to ${kind.format}`,
    );
  const detail =
    problem.kind === 'foreign'
      ? 'not a healthcheck store file'
      : `its ${kind.table} table is missing`;
  return new StoreDamagedError(path, stateDir, detail);
}

/** Why SQLite could not open a file, from the file system's point of view. */
function cannotOpen(path: string, stateDir: string): StoreError {
  try {
    accessSync(stateDir, constants.W_OK);
  } catch (error) {
    return (
      fileSystemFailure(error, { path: stateDir, stateDir, waitedMs: 0 }) ??
      new StoreReadOnlyError(stateDir, (error as Error).message)
    );
  }
  if (existsSync(path) && !statSync(path).isFile()) {
    return new StoreUnavailableError(
      path,
      'it is not a regular file',
      'move it away; the next run creates the store again',
    );
  }
  return new StoreUnavailableError(
    path,
    'SQLite cannot open it',
    'check that this user can read and write it and the state dir',
  );
}

function mapError(error: unknown, path: string, stateDir: string, waitMs: number): unknown {
  const at = { path, stateDir, waitedMs: waitMs };
  if (sqliteFailure(error) === 'cannot-open') return cannotOpen(path, stateDir);
  return storeFailure(error, at) ?? error;
}

interface FileOpen {
  readonly stateDir: string;
  readonly access: StoreAccess;
  readonly waitMs: number;
  /** The store existed before (store.json): a missing or empty file is a loss, not a start. */
  readonly established: boolean;
  readonly readOnlyDir: boolean;
}

function openStoreFile(kind: StoreFileKind, how: FileOpen): Database {
  const path = join(how.stateDir, kind.file);
  const present = existsSync(path);
  if (!present && how.access === 'read-only' && !how.established) {
    throw new StoreMissingError(
      path,
      'is missing',
      'run `healthcheck run` with this --state-dir to create the store',
    );
  }
  if (how.established) {
    const lost = !present
      ? 'is missing'
      : statSync(path).size === 0 && fileSize(`${path}-wal`) === 0
        ? 'is empty (0 bytes)'
        : undefined;
    if (lost) {
      throw new StoreMissingError(
        path,
        `${lost}, though this state dir held a store (store.json)`,
        `run \`${doctorCommand(how.stateDir)}\` to start it again (what it held is lost: failing checks page again)`,
      );
    }
  }
  let db: Database | undefined;
  try {
    if (how.access === 'read-only') {
      // A WAL reader needs to write the -shm file; in a read-only dir, read a snapshot instead.
      db = how.readOnlyDir
        ? openDatabase(path, { immutable: true })
        : openDatabase(path, { readOnly: true, busyTimeoutMs: how.waitMs });
    } else {
      db = openDatabase(path, { busyTimeoutMs: how.waitMs });
      configureWritable(db);
    }
    const wrong = schemaError(db, kind, path, how.stateDir);
    if (wrong) throw wrong;
    if (how.access === 'read-write') ensureSchema(db, kind);
    if (kind === stateFile) {
      // The small state file is verified on every open (about a millisecond per 100 checks).
      const problem = pageProblem(db, true);
      if (problem) throw new StoreDamagedError(path, how.stateDir, problem);
    }
    return db;
  } catch (error) {
    db?.close();
    throw mapError(error, path, how.stateDir, how.waitMs);
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The file that stands where a directory of the state dir's path should be. */
function fileInTheWay(path: string): string {
  for (let at = path; dirname(at) !== at; at = dirname(at)) {
    try {
      if (!statSync(at).isDirectory()) return at;
    } catch {
      // not there: look further up
    }
  }
  return path;
}

function ensureStateDir(stateDir: string, access: StoreAccess): void {
  const at = { path: stateDir, stateDir, waitedMs: 0 };
  let isDirectory: boolean | undefined;
  try {
    isDirectory = statSync(stateDir).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new StoreNotADirectoryError(fileInTheWay(stateDir));
    if (code !== 'ENOENT') throw fileSystemFailure(error, at) ?? error;
  }
  if (isDirectory === false) throw new StoreNotADirectoryError(stateDir);
  if (isDirectory) return;
  if (access === 'read-only') {
    throw new StateDirNotFoundError(stateDir);
  }
  try {
    mkdirSync(stateDir, { recursive: true });
  } catch (error) {
    throw fileSystemFailure(error, at) ?? error;
  }
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Shared use of the dir for this command; a read-only dir without a lock file is read unguarded. */
function guardFor(stateDir: string, options: OpenLocalStoreOptions): StateDirGuard | undefined {
  try {
    return shareStateDir(stateDir, options.waitMs, { readOnly: options.access === 'read-only' });
  } catch (error) {
    const mapped = mapError(error, join(stateDir, 'lock.db'), stateDir, options.waitMs);
    if (options.access === 'read-only' && (mapped as StoreError).problem !== 'busy') {
      return undefined;
    }
    throw mapped;
  }
}

export async function openLocalStore(
  stateDirArgument: string,
  options: OpenLocalStoreOptions,
): Promise<LocalStore> {
  const stateDir = resolve(stateDirArgument);
  ensureStateDir(stateDir, options.access);
  let guard = guardFor(stateDir, options);
  const opened: Database[] = [];
  try {
    let imported: LocalStore['imported'];
    if (needsLegacyImport(stateDir)) {
      if (options.access === 'read-only') {
        throw new StoreMissingError(
          legacyDir(stateDir),
          'is a store in the old format (embedded DynamoDB) that has not been imported yet',
          `run \`${doctorCommand(stateDir)}\` (or any \`healthcheck run\`) once to import it`,
        );
      }
      // The import moves files: it needs the dir to itself, like doctor.
      guard?.release();
      guard = undefined;
      const { importLegacyStore } = await import('./import-legacy-store.ts');
      imported = await importLegacyStore(stateDir, { waitMs: options.waitMs });
      guard = guardFor(stateDir, options);
    }
    const marker = readMarker(stateDir);
    const established = marker !== undefined;
    if (
      options.access === 'read-only' &&
      !established &&
      !existsSync(join(stateDir, stateFile.file))
    ) {
      throw new StoreMissingError(
        stateDir,
        'has no store yet (no run has recorded anything there)',
        'run `healthcheck run` with this --state-dir first, or pass the --state-dir your runs use',
      );
    }
    const how: FileOpen = {
      stateDir,
      access: options.access,
      waitMs: options.waitMs,
      established,
      readOnlyDir: options.access === 'read-only' && !writable(stateDir),
    };
    const state = openStoreFile(stateFile, how);
    opened.push(state);
    const history = openStoreFile(historyFile, how);
    opened.push(history);
    if (!established && options.access === 'read-write') {
      try {
        writeMarker(stateDir, {
          store: 'sqlite',
          files: [stateFile.file, historyFile.file],
          createdAt: (options.now?.() ?? new Date()).toISOString(),
        });
      } catch (error) {
        throw mapError(error, join(stateDir, 'store.json'), stateDir, 0);
      }
    }
    const statePath = join(stateDir, stateFile.file);
    const historyPath = join(stateDir, historyFile.file);
    const store = new SqliteResultStore({
      state,
      history,
      statePath,
      historyPath,
      stateDir,
      busyTimeoutMs: options.waitMs,
      ...(options.now ? { now: options.now } : {}),
    });
    const held = guard;
    let closed = false;
    return {
      store,
      stateDir,
      statePath,
      historyPath,
      ...(imported ? { imported } : {}),
      close() {
        if (closed) return;
        closed = true;
        for (const db of opened) db.close();
        held?.release();
      },
    };
  } catch (error) {
    for (const db of opened) db.close();
    guard?.release();
    throw error;
  }
}
