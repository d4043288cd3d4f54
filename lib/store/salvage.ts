/**
 * Reads what can still be read from a damaged store file, for `healthcheck doctor`: every row on
 * every intact table-leaf page of the file and its WAL (lib/store/page-scan.ts), so damage to the
 * header, the schema or the tree's upper pages costs nothing and a damaged leaf only its rows.
 * A row is kept only if its checksum and JSON are intact; of several copies of one check's state
 * (a freed page still holds an older one) the highest version wins. The file is only read.
 */
import { existsSync } from 'node:fs';
import { parseIncidentGroup } from '../alerting/incident-group.ts';
import type { RunRecord } from '../alerting/result-store.ts';
import { type ColumnValue, type RawRow, scanRows } from './page-scan.ts';
import { readBody, readRun, readState } from './sqlite-store.ts';

export interface StateRow {
  readonly check: string;
  readonly version: number;
  /** The persisted item's JSON, carried over as it was written. */
  readonly body: string;
}

export interface GroupRow {
  readonly suite: string;
  readonly key: string;
  readonly version: number;
  readonly done: number;
  /** The persisted item's JSON, carried over as it was written. */
  readonly body: string;
}

export interface RunRow {
  readonly checkId: string;
  readonly runKey: string;
  readonly expiresAt: number;
  readonly record: RunRecord;
  readonly body: string;
}

export interface Salvaged<T> {
  readonly rows: T[];
  /** Rows that looked like ours but whose bytes were damaged (dropped). */
  readonly badRows: number;
  /** Set when the file could not be read at all. */
  readonly unreadable?: string;
}

function rowsOf(path: string): RawRow[] {
  return scanRows(path, existsSync(`${path}-wal`) ? `${path}-wal` : undefined);
}

/** Later is newer: WAL frames over the main file, then the higher rowid. */
function newer(a: RawRow, b: RawRow): boolean {
  if (a.source !== b.source) return a.source === 'wal';
  return a.rowid > b.rowid;
}

const text = (v: ColumnValue | undefined): v is string => typeof v === 'string';

/** check_state rows: (id, check_id, version, body, crc); see sqlite-schema.ts. */
export function salvageStates(path: string): Salvaged<StateRow> {
  let raw: RawRow[];
  try {
    raw = rowsOf(path);
  } catch (error) {
    return { rows: [], badRows: 0, unreadable: (error as Error).message };
  }
  const best = new Map<string, { row: RawRow; value: StateRow }>();
  let badRows = 0;
  for (const row of raw) {
    const [, checkId, version, body, crc] = row.values;
    if (row.values.length !== 5 || !text(checkId) || typeof version !== 'number') continue;
    const item = readState(body, crc);
    if (!item || item.check !== checkId || !text(body)) {
      badRows++;
      continue;
    }
    const kept = best.get(checkId);
    if (
      !kept ||
      kept.value.version < item.version ||
      (kept.value.version === item.version && newer(row, kept.row))
    ) {
      best.set(checkId, { row, value: { check: checkId, version: item.version, body } });
    }
  }
  return { rows: [...best.values()].map((b) => b.value), badRows };
}

/** run_history rows: (id, check_id, run_key, expires_at, body, crc). */
export function salvageRuns(path: string): Salvaged<RunRow> {
  let raw: RawRow[];
  try {
    raw = rowsOf(path);
  } catch (error) {
    return { rows: [], badRows: 0, unreadable: (error as Error).message };
  }
  const best = new Map<string, { row: RawRow; value: RunRow }>();
  let badRows = 0;
  for (const row of raw) {
    const [, checkId, runKey, expiresAt, body, crc] = row.values;
    if (row.values.length !== 6 || !text(checkId) || !text(runKey)) continue;
    const record = readRun(body, crc);
    if (
      !record ||
      record.result.check !== checkId ||
      !text(body) ||
      typeof expiresAt !== 'number'
    ) {
      badRows++;
      continue;
    }
    const key = `${checkId}\n${runKey}`;
    const kept = best.get(key);
    if (!kept || newer(row, kept.row)) {
      best.set(key, { row, value: { checkId, runKey, expiresAt, record, body } });
    }
  }
  return { rows: [...best.values()].map((b) => b.value), badRows };
}

/**
 * incident_group rows: (id, suite, group_key, version, done, body, crc). A grouped incident is
 * alert state like a check's: losing it would resolve an open page early and let its members page
 * again one by one, so doctor keeps every intact one (its highest version).
 */
export function salvageGroups(path: string): Salvaged<GroupRow> {
  let raw: RawRow[];
  try {
    raw = rowsOf(path);
  } catch (error) {
    return { rows: [], badRows: 0, unreadable: (error as Error).message };
  }
  const best = new Map<string, { row: RawRow; value: GroupRow }>();
  let badRows = 0;
  for (const row of raw) {
    const [, suite, key, version, done, body, crc] = row.values;
    if (row.values.length !== 7 || !text(suite) || !text(key) || typeof version !== 'number') {
      continue;
    }
    const item = readBody(body, crc, (v): v is unknown => v !== null);
    const group = item === undefined ? undefined : parseIncidentGroup(item);
    if (!group || group.key !== key || !text(body)) {
      badRows++;
      continue;
    }
    const kept = best.get(key);
    if (
      !kept ||
      kept.value.version < group.version ||
      (kept.value.version === group.version && newer(row, kept.row))
    ) {
      best.set(key, {
        row,
        value: { suite, key, version: group.version, done: Number(done) ? 1 : 0, body },
      });
    }
  }
  return { rows: [...best.values()].map((b) => b.value), badRows };
}
