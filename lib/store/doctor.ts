/**
 * `healthcheck doctor`: checks a state dir's store and repairs it, keeping what can be kept.
 * Runs with the dir to itself (the guard's exclusive lock: it waits for running commands and
 * keeps new ones waiting). Damaged files are rebuilt from what can still be read and kept beside
 * the new ones as `<file>.damaged-<time>`; nothing is deleted but expired history.
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { parseStoredState } from '../alerting/stored-state.ts';
import { formatDuration } from '../shared/format-duration.ts';
import {
  asideStamp,
  importStartedName,
  legacyDir,
  legacyDirName,
  legacyLockName,
  needsLegacyImport,
} from './legacy-store.ts';
import {
  type GroupRow,
  type Salvaged,
  salvageGroups,
  salvageRuns,
  salvageStates,
} from './salvage.ts';
import { type Database, inTransaction, openDatabase, pageProblem, sqliteReason } from './sqlite.ts';
import {
  checksum,
  configureWritable,
  ensureSchema,
  historyFile,
  type StoreFileKind,
  schemaProblem,
  stateFile,
  storeFiles,
} from './sqlite-schema.ts';
import { readRun, readState } from './sqlite-store.ts';
import { type StateDirGuard, takeStateDir } from './state-dir-guard.ts';
import {
  StoreBusyError,
  StoreNewerFormatError,
  StoreNotADirectoryError,
  StoreReadOnlyError,
} from './store-errors.ts';
import { readMarker, writeMarker } from './store-marker.ts';
import { runTimeOf } from './table-layout.ts';

export interface DoctorOptions {
  /** Start an empty store (the old files are kept aside). */
  readonly reset?: boolean;
  /** How long to wait for running commands to finish. */
  readonly waitMs: number;
  readonly now?: () => Date;
  /** Told when doctor has to wait for running commands. */
  readonly onWait?: (message: string) => void;
}

export type FileOutcome = 'ok' | 'repaired' | 'recreated' | 'reset';

export interface FileReport {
  readonly file: string;
  readonly outcome: FileOutcome;
  readonly problems: string[];
  /** Rows carried into the repaired file, and rows found damaged (dropped). */
  readonly kept?: number;
  readonly dropped?: number;
  /** Grouped incidents carried into a repaired state file (beside the check states). */
  readonly keptGroups?: number;
  readonly movedTo?: string[];
}

export interface StoreContents {
  readonly checks: number;
  readonly openAlerts: number;
  readonly pendingNotifications: number;
  readonly runs: number;
  readonly oldestRun?: string;
  readonly newestRun?: string;
  readonly bytes: number;
}

export interface DoctorReport {
  readonly stateDir: string;
  /** False when the dir holds no store (nothing to check). */
  readonly found: boolean;
  readonly files: FileReport[];
  /** Everything else doctor did (import, stale files, compaction), one sentence each. */
  readonly actions: string[];
  /** Checks that have history but lost their alert state: they start fresh. */
  readonly lostStates: string[];
  readonly contents?: StoreContents;
}

const emptyFile = 'the file is empty (0 bytes)';

function size(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Moves a store file and its WAL aside; its shared-memory index is rebuilt by SQLite. */
function moveAside(path: string, suffix: string): string[] {
  const moved: string[] = [];
  for (const [from, to] of [
    [path, `${path}.${suffix}`],
    [`${path}-wal`, `${path}.${suffix}-wal`],
  ] as const) {
    if (existsSync(from)) {
      renameSync(from, to);
      moved.push(to);
    }
  }
  rmSync(`${path}-shm`, { force: true });
  return moved;
}

function firstValue(row: Record<string, unknown> | undefined): unknown {
  return row ? Object.values(row)[0] : undefined;
}

/** Everything SQLite and our checksums say is wrong with a file, or [] when it is sound. */
function inspect(path: string, kind: StoreFileKind): string[] {
  if (size(path) === 0 && size(`${path}-wal`) === 0) return [emptyFile];
  let db: Database | undefined;
  try {
    db = openDatabase(path);
    configureWritable(db);
    const wrong = schemaProblem(db, kind);
    if (wrong?.kind === 'newer')
      throw new StoreNewerFormatError(
        path,
        `format ${wrong.format}; this version reads up to ${kind.format}`,
      );
    if (wrong?.kind === 'foreign') return ['not a healthcheck store file'];
    if (wrong?.kind === 'no-table') return [`its ${kind.table} table is missing`];
    const pages = pageProblem(db, false);
    if (pages) return [pages];
    const read = kind === stateFile ? readState : readRun;
    let bad = 0;
    for (const row of db.prepare(`SELECT body, crc FROM ${kind.table}`).iterate()) {
      if (!read(row['body'], row['crc'])) bad++;
    }
    return bad > 0 ? [`${bad} row${bad === 1 ? '' : 's'} fail their checksum`] : [];
  } catch (error) {
    if (error instanceof StoreNewerFormatError) throw error;
    return [sqliteReason(error)];
  } finally {
    db?.close();
  }
}

/** A new store file at `path` holding `fill`'s rows. */
function build(path: string, kind: StoreFileKind, fill: (db: Database) => void): void {
  const db = openDatabase(path);
  try {
    configureWritable(db);
    ensureSchema(db, kind);
    inTransaction(db, () => fill(db));
  } finally {
    db.close();
  }
}

function fillStates(
  rows: readonly { check: string; version: number; body: string }[],
  groups: readonly GroupRow[],
) {
  return (db: Database) => {
    const insert = db.prepare(
      'INSERT INTO check_state (check_id, version, body, crc) VALUES (?, ?, ?, ?)',
    );
    for (const { check, version, body } of rows) insert.run(check, version, body, checksum(body));
    const insertGroup = db.prepare(
      'INSERT INTO incident_group (suite, group_key, version, done, body, crc) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const g of groups)
      insertGroup.run(g.suite, g.key, g.version, g.done, g.body, checksum(g.body));
  };
}

function fillRuns(
  rows: readonly { checkId: string; runKey: string; expiresAt: number; body: string }[],
  nowSeconds: number,
) {
  return (db: Database) => {
    const insert = db.prepare(
      'INSERT INTO run_history (check_id, run_key, expires_at, body, crc) VALUES (?, ?, ?, ?, ?)',
    );
    for (const row of rows) {
      if (row.expiresAt < nowSeconds) continue;
      insert.run(row.checkId, row.runKey, row.expiresAt, row.body, checksum(row.body));
    }
  };
}

function storeFilesPresent(stateDir: string): boolean {
  return storeFiles.some((kind) => existsSync(join(stateDir, kind.file)));
}

function takeWaiting(stateDir: string, options: DoctorOptions): StateDirGuard {
  try {
    return takeStateDir(stateDir, 0);
  } catch (error) {
    if (!(error instanceof StoreBusyError)) throw error;
    options.onWait?.(
      `waiting up to ${formatDuration(options.waitMs)} for running healthcheck commands on ${stateDir} to finish`,
    );
    return takeStateDir(stateDir, options.waitMs);
  }
}

class Doctor {
  readonly files: FileReport[] = [];
  readonly actions: string[] = [];
  readonly stamp: string;
  readonly nowSeconds: number;
  readonly workDir: string;
  readonly stateDir: string;
  readonly options: DoctorOptions;

  constructor(stateDir: string, options: DoctorOptions) {
    this.stateDir = stateDir;
    this.options = options;
    const now = options.now?.() ?? new Date();
    this.stamp = asideStamp(now);
    this.nowSeconds = Math.floor(now.getTime() / 1000);
    this.workDir = join(stateDir, `doctor-${this.stamp}`);
  }

  async legacy(): Promise<void> {
    const lock = join(this.stateDir, legacyLockName);
    if (!needsLegacyImport(this.stateDir)) {
      if (existsSync(lock)) {
        rmSync(lock, { force: true });
        this.actions.push(`removed ${legacyLockName}, the lock file of the old embedded store`);
      }
      return;
    }
    const source = legacyDir(this.stateDir);
    const started = join(this.stateDir, importStartedName);
    const setAside = (why: string) => {
      const to = `${source}.unreadable-${this.stamp}`;
      renameSync(source, to);
      rmSync(started, { force: true });
      rmSync(lock, { force: true });
      this.actions.push(`${why}; moved it to ${to} and started an empty store`);
    };
    if (existsSync(started)) {
      setAside(`importing the old-format store in ${legacyDirName}/ crashed on an earlier run`);
      return;
    }
    const { importLegacyStore } = await import('./import-legacy-store.ts');
    try {
      const summary = await importLegacyStore(this.stateDir, {
        waitMs: this.options.waitMs,
        allowPartial: true,
        guarded: true,
      });
      if (summary) {
        this.actions.push(
          `imported the old-format store: ${summary.states} check states, ${summary.runs} runs (old files kept in ${summary.movedTo})${summary.error ? `; reading stopped early: ${summary.error}` : ''}`,
        );
      }
    } catch (error) {
      setAside(
        `the old-format store in ${legacyDirName}/ could not be imported (${sqliteReason(error)})`,
      );
    }
  }

  reset(): void {
    const suffix = `reset-${this.stamp}`;
    for (const kind of storeFiles) {
      const path = join(this.stateDir, kind.file);
      const movedTo = moveAside(path, suffix);
      build(path, kind, () => {});
      this.files.push({ file: path, outcome: 'reset', problems: [], movedTo });
    }
  }

  check(kind: StoreFileKind, established: boolean): void {
    const path = join(this.stateDir, kind.file);
    if (!existsSync(path)) {
      build(path, kind, () => {});
      this.files.push({
        file: path,
        outcome: 'recreated',
        problems: [established ? 'was missing' : 'did not exist yet'],
      });
      return;
    }
    const problems = inspect(path, kind);
    if (problems.length === 0) {
      this.files.push({ file: path, outcome: 'ok', problems });
      return;
    }
    this.repair(path, kind, problems);
  }

  repair(path: string, kind: StoreFileKind, problems: string[]): void {
    mkdirSync(this.workDir, { recursive: true });
    const rebuilt = join(this.workDir, `${kind.file}.rebuilt`);
    let salvaged: Salvaged<unknown>;
    let keptGroups: number | undefined;
    if (problems.includes(emptyFile)) {
      build(rebuilt, kind, () => {});
      salvaged = { rows: [], badRows: 0 };
    } else if (kind === stateFile) {
      const states = salvageStates(path);
      const groups = salvageGroups(path);
      build(rebuilt, kind, fillStates(states.rows, groups.rows));
      salvaged = states;
      keptGroups = groups.rows.length;
    } else {
      const runs = salvageRuns(path);
      build(rebuilt, kind, fillRuns(runs.rows, this.nowSeconds));
      salvaged = runs;
    }
    const movedTo = moveAside(path, `damaged-${this.stamp}`);
    renameSync(rebuilt, path);
    this.files.push({
      file: path,
      outcome: 'repaired',
      problems: [
        ...problems,
        ...(salvaged.unreadable ? [`nothing could be read: ${salvaged.unreadable}`] : []),
      ],
      kept: salvaged.rows.length,
      dropped: salvaged.badRows,
      ...(keptGroups ? { keptGroups } : {}),
      movedTo,
    });
  }

  /** Gives freed history pages back to the disk once they are a large share of the file. */
  compact(): void {
    const path = join(this.stateDir, historyFile.file);
    const db = openDatabase(path);
    try {
      const pages = Number(firstValue(db.prepare('PRAGMA page_count').get()));
      const free = Number(firstValue(db.prepare('PRAGMA freelist_count').get()));
      if (free > 256 && free * 4 > pages) {
        const before = size(path);
        db.exec('VACUUM');
        this.actions.push(
          `compacted ${historyFile.file}: ${before} -> ${size(path)} bytes (space freed by expired history)`,
        );
      }
    } finally {
      db.close();
    }
  }

  contents(): { contents: StoreContents; lostStates: string[] } {
    const state = openDatabase(join(this.stateDir, stateFile.file), { readOnly: true });
    const history = openDatabase(join(this.stateDir, historyFile.file), { readOnly: true });
    try {
      let openAlerts = 0;
      let pendingNotifications = 0;
      const withState = new Set<string>();
      for (const row of state.prepare('SELECT body, crc FROM check_state').iterate()) {
        const item = readState(row['body'], row['crc']);
        if (!item) continue;
        const s = parseStoredState(item, item.check);
        withState.add(s.check);
        if (s.alert.alertedStatus !== 'ok') openAlerts++;
        pendingNotifications += s.alert.outbox?.length ?? 0;
      }
      const runs = history
        .prepare(
          'SELECT count(*) AS n, min(run_key) AS oldest, max(run_key) AS newest FROM run_history',
        )
        .get() as { n: number; oldest: string | null; newest: string | null };
      const lostStates = history
        .prepare('SELECT DISTINCT check_id FROM run_history ORDER BY check_id')
        .all()
        .map((r) => String(r['check_id']))
        .filter((id) => !withState.has(id));
      const bytes = storeFiles.reduce((sum, kind) => {
        const path = join(this.stateDir, kind.file);
        return sum + size(path) + size(`${path}-wal`);
      }, 0);
      return {
        contents: {
          checks: withState.size,
          openAlerts,
          pendingNotifications,
          runs: Number(runs.n),
          // The runs' times, not their keys: "from 2026-12-01T18:24:06.558Z", no `RUN#...#-`.
          ...(runs.oldest ? { oldestRun: runTimeOf(runs.oldest) } : {}),
          ...(runs.newest ? { newestRun: runTimeOf(runs.newest) } : {}),
          bytes,
        },
        lostStates,
      };
    } finally {
      state.close();
      history.close();
    }
  }
}

export async function doctorStateDir(
  stateDirArgument: string,
  options: DoctorOptions,
): Promise<DoctorReport> {
  const stateDir = resolve(stateDirArgument);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(stateDir).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { stateDir, found: false, files: [], actions: [], lostStates: [] };
    }
    throw error;
  }
  if (!isDirectory) throw new StoreNotADirectoryError(stateDir);
  try {
    accessSync(stateDir, constants.W_OK);
  } catch (error) {
    throw new StoreReadOnlyError(
      stateDir,
      `doctor needs to write there: ${(error as Error).message}`,
    );
  }
  const hasStore =
    storeFilesPresent(stateDir) ||
    readMarker(stateDir) !== undefined ||
    existsSync(legacyDir(stateDir)) ||
    existsSync(join(stateDir, legacyLockName));
  if (!hasStore) return { stateDir, found: false, files: [], actions: [], lostStates: [] };
  const guard = takeWaiting(stateDir, options);
  const doctor = new Doctor(stateDir, options);
  try {
    await doctor.legacy();
    const marker = readMarker(stateDir);
    if (options.reset) {
      doctor.reset();
    } else {
      for (const kind of storeFiles) doctor.check(kind, marker !== undefined);
    }
    doctor.compact();
    writeMarker(stateDir, {
      ...(marker ?? {
        store: 'sqlite',
        createdAt: new Date(doctor.nowSeconds * 1000).toISOString(),
      }),
      store: 'sqlite',
      files: storeFiles.map((k) => k.file),
    });
    const { contents, lostStates } = doctor.contents();
    const stateChanged = doctor.files.some(
      (f) => f.file.endsWith(stateFile.file) && f.outcome !== 'ok',
    );
    return {
      stateDir,
      found: true,
      files: doctor.files,
      actions: doctor.actions,
      lostStates: stateChanged ? lostStates : [],
      contents,
    };
  } finally {
    rmSync(doctor.workDir, { recursive: true, force: true });
    guard.release();
  }
}
