/**
 * The ResultStore on SQLite, for the local CLI. Same contract as the DynamoDB adapter (the
 * contract suite test/store/result-store-contract.ts runs both): one conditional write per STATE
 * change, decided by SQLite in a single statement; STATE persisted and read back through the
 * alerting core's `storedStateItem`/`parseStoredState`; history keyed exactly like the DynamoDB
 * sort key (lib/store/table-layout.ts), so ranges and replacements match.
 */

import {
  closedGroupRetentionSeconds,
  groupIsDone,
  incidentGroupItem,
  parseIncidentGroup,
  type StoredIncidentGroup,
} from '../alerting/incident-group.ts';
import {
  type HistoryRange,
  type ResultStore,
  type RunRecord,
  type StoredCheckState,
  StoredStateVersionError,
} from '../alerting/result-store.ts';
import { parseStoredState, storedStateItem } from '../alerting/stored-state.ts';
import type { Database } from './sqlite.ts';
import { inTransaction } from './sqlite.ts';
import { checksum, hasTable } from './sqlite-schema.ts';
import { StoreDamagedError, StoreNewerFormatError } from './store-errors.ts';
import { storeFailure } from './store-failure.ts';
import { runSortKey, runSortKeyRange } from './table-layout.ts';

export interface SqliteStoreFiles {
  readonly state: Database;
  readonly history: Database;
  readonly statePath: string;
  readonly historyPath: string;
  readonly stateDir: string;
  /** How long writes wait for another process's lock (for the busy message). */
  readonly busyTimeoutMs: number;
  readonly now?: () => Date;
}

/** '~' sorts after every ISO timestamp character: an open range ends after the newest run. */
const openEnd = '~';

/** A persisted STATE item, before the alerting core parses (and migrates) it. */
interface StateItem {
  readonly check: string;
  readonly version: number;
}

function isState(value: unknown): value is StateItem {
  const v = value as StateItem | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.check === 'string' &&
    typeof v.version === 'number'
  );
}

function isRun(value: unknown): value is RunRecord {
  const v = value as RunRecord | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.at === 'string' &&
    typeof v.result === 'object' &&
    v.result !== null
  );
}

/** A row's JSON body, or undefined when its bytes are not what was written. */
export function readBody<T>(
  body: unknown,
  crc: unknown,
  valid: (value: unknown) => value is T,
): T | undefined {
  if (typeof body !== 'string' || checksum(body) !== Number(crc)) return undefined;
  try {
    const value: unknown = JSON.parse(body);
    return valid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export const readState = (body: unknown, crc: unknown) => readBody(body, crc, isState);
export const readRun = (body: unknown, crc: unknown) => readBody(body, crc, isRun);

export class SqliteResultStore implements ResultStore {
  readonly #files: SqliteStoreFiles;
  readonly #now: () => Date;

  constructor(files: SqliteStoreFiles) {
    this.#files = files;
    this.#now = files.now ?? (() => new Date());
  }

  /** Maps SQLite's and the OS's errors to the one-line StoreError for the file concerned. */
  #guard<T>(which: 'state' | 'history', work: () => T): T {
    try {
      return work();
    } catch (error) {
      const path = which === 'state' ? this.#files.statePath : this.#files.historyPath;
      throw (
        storeFailure(error, {
          path,
          stateDir: this.#files.stateDir,
          waitedMs: this.#files.busyTimeoutMs,
        }) ?? error
      );
    }
  }

  #damaged(which: 'state' | 'history', detail: string): StoreDamagedError {
    const path = which === 'state' ? this.#files.statePath : this.#files.historyPath;
    return new StoreDamagedError(path, this.#files.stateDir, detail);
  }

  async getStates(
    checkIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, StoredCheckState>> {
    signal?.throwIfAborted();
    const rows = this.#guard('state', () =>
      this.#files.state
        .prepare(
          'SELECT check_id, body, crc FROM check_state WHERE check_id IN (SELECT value FROM json_each(?))',
        )
        .all(JSON.stringify([...new Set(checkIds)])),
    );
    const found = new Map<string, StoredCheckState>();
    for (const row of rows) {
      const item = readState(row['body'], row['crc']);
      const check = String(row['check_id']);
      // Bytes that are not what was written: the file is damaged (doctor). A well-formed item of
      // an unexpected shape is the alerting core's to judge (parseStoredState).
      if (!item || item.check !== check) {
        throw this.#damaged('state', `the saved state of check ${check} is unreadable`);
      }
      try {
        found.set(check, parseStoredState(item, check));
      } catch (error) {
        if (error instanceof StoredStateVersionError) {
          throw new StoreNewerFormatError(this.#files.statePath, error.message);
        }
        throw error;
      }
    }
    return found;
  }

  async putState(
    next: StoredCheckState,
    expectedVersion: number | undefined,
    signal?: AbortSignal,
  ): Promise<boolean> {
    signal?.throwIfAborted();
    const body = JSON.stringify(storedStateItem(next));
    return this.#guard('state', () => {
      const db = this.#files.state;
      // One statement each: SQLite evaluates the condition and writes under its write lock,
      // exactly DynamoDB's ConditionExpression (no item yet; or the version still matches).
      if (expectedVersion === undefined) {
        const out = db
          .prepare(
            'INSERT INTO check_state (check_id, version, body, crc) VALUES (?, ?, ?, ?) ON CONFLICT (check_id) DO NOTHING',
          )
          .run(next.check, next.version, body, checksum(body));
        return Number(out.changes) === 1;
      }
      const out = db
        .prepare(
          'UPDATE check_state SET version = ?, body = ?, crc = ? WHERE check_id = ? AND version = ?',
        )
        .run(next.version, body, checksum(body), next.check, expectedVersion);
      return Number(out.changes) === 1;
    });
  }

  async getIncidentGroups(
    suite: string | null,
    signal?: AbortSignal,
    options: { readonly includeDone?: boolean } = {},
  ): Promise<StoredIncidentGroup[]> {
    signal?.throwIfAborted();
    return this.#guard('state', () => {
      const db = this.#files.state;
      // A read-only open of a file from before grouping: no table, so no group.
      if (!hasTable(db, 'incident_group')) return [];
      const rows = db
        .prepare('SELECT group_key, body, crc FROM incident_group WHERE suite = ? AND done <= ?')
        .all(suite ?? '-', options.includeDone ? 1 : 0);
      return rows.map((row) => {
        const raw = readBody(row['body'], row['crc'], (v): v is unknown => v !== null);
        const group = raw === undefined ? undefined : parseIncidentGroup(raw);
        if (!group) {
          throw this.#damaged(
            'state',
            `the grouped incident ${String(row['group_key'])} is unreadable`,
          );
        }
        return group;
      });
    });
  }

  async putIncidentGroup(
    next: StoredIncidentGroup,
    expectedVersion: number | undefined,
    signal?: AbortSignal,
  ): Promise<boolean> {
    signal?.throwIfAborted();
    const body = JSON.stringify(incidentGroupItem(next));
    const done = groupIsDone(next) ? 1 : 0;
    return this.#guard('state', () => {
      const db = this.#files.state;
      const written =
        expectedVersion === undefined
          ? db
              .prepare(
                'INSERT INTO incident_group (suite, group_key, version, done, body, crc) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (group_key) DO NOTHING',
              )
              .run(next.suite ?? '-', next.key, next.version, done, body, checksum(body))
          : db
              .prepare(
                'UPDATE incident_group SET version = ?, done = ?, body = ?, crc = ? WHERE group_key = ? AND version = ?',
              )
              .run(next.version, done, body, checksum(body), next.key, expectedVersion);
      // Done groups are kept a while for inspection, then dropped, so the table stays small.
      const before = new Date(
        this.#now().getTime() - closedGroupRetentionSeconds * 1000,
      ).toISOString();
      db.prepare(
        "DELETE FROM incident_group WHERE done = 1 AND json_extract(body, '$.closedAt') < ?",
      ).run(before);
      return Number(written.changes) === 1;
    });
  }

  async appendRuns(
    records: readonly RunRecord[],
    expiresAt: number,
    signal?: AbortSignal,
  ): Promise<void> {
    signal?.throwIfAborted();
    const nowSeconds = Math.floor(this.#now().getTime() / 1000);
    this.#guard('history', () => {
      const db = this.#files.history;
      inTransaction(db, () => {
        const insert = db.prepare(
          'INSERT OR REPLACE INTO run_history (check_id, run_key, expires_at, body, crc) VALUES (?, ?, ?, ?, ?)',
        );
        for (const record of records) {
          const body = JSON.stringify({ ...record, suite: record.suite ?? null });
          const key = runSortKey(record.scheduledTime ?? record.at, record.suite ?? null);
          insert.run(record.result.check, key, expiresAt, body, checksum(body));
        }
        // Retention, as DynamoDB's TTL does on AWS: each record expires retentionDays after the
        // run that wrote it. Deleted here, so the local store stops growing.
        db.prepare('DELETE FROM run_history WHERE expires_at < ?').run(nowSeconds);
      });
    });
  }

  async history(
    checkId: string,
    range: HistoryRange = {},
    signal?: AbortSignal,
  ): Promise<RunRecord[]> {
    signal?.throwIfAborted();
    const limit = range.limit ?? 500;
    const nowSeconds = Math.floor(this.#now().getTime() / 1000);
    const { from, to } = runSortKeyRange(
      range.since?.toISOString() ?? '',
      range.until?.toISOString() ?? openEnd,
    );
    const rows = this.#guard('history', () =>
      this.#files.history
        .prepare(
          'SELECT body, crc FROM run_history WHERE check_id = ? AND run_key BETWEEN ? AND ? AND expires_at >= ? ORDER BY run_key DESC LIMIT ?',
        )
        .all(checkId, from, to, nowSeconds, limit),
    );
    const records: RunRecord[] = [];
    for (const row of rows) {
      const record = readRun(row['body'], row['crc']);
      if (!record)
        throw this.#damaged('history', `a recorded run of check ${checkId} is unreadable`);
      records.push({
        at: record.at,
        suite: record.suite ?? null,
        ...(record.scheduledTime ? { scheduledTime: record.scheduledTime } : {}),
        result: record.result,
      });
    }
    return records.reverse();
  }
}
