import type { AlertState } from '../alerting/alert-state.ts';
import type { CheckResult } from '../core/result.ts';
import type { Status } from '../core/status.ts';

/** A check's STATE item. `version` grows by one on every write (optimistic concurrency). */
export interface StoredCheckState {
  readonly check: string;
  readonly version: number;
  /** Scheduled time of the last run applied (ISO); a run with the same or an older one is a duplicate. */
  readonly lastToken?: string;
  readonly alert: AlertState;
  readonly lastResult?: CheckResult;
}

export interface PutCondition {
  readonly expectedVersion: number | undefined;
  readonly newToken?: string;
}

export interface RunRecord {
  readonly at: string;
  readonly suite: string | null;
  readonly scheduledTime?: string;
  readonly result: CheckResult;
}

export interface HistoryRange {
  readonly since?: Date;
  readonly until?: Date;
  /** Newest records kept when more match. @default 500 */
  readonly limit?: number;
}

/** A suite's last completed run and since when the watchdog expects its runs (ISO times). */
export interface SuiteRunRecord {
  readonly suite: string;
  /** Scheduled time of the last completed run. */
  readonly lastScheduledTime?: string;
  readonly lastCompletedAt?: string;
  readonly lastStatus?: Status;
  /** When the watchdog first saw the suite: runs due before it are not expected. */
  readonly watchingSince?: string;
}

export interface CompletedSuiteRun {
  readonly scheduledTime: string;
  readonly completedAt: string;
  readonly status: Status;
}

/**
 * Where results and alert state live. The only adapter is DynamoDB (real AWS on Lambda, embedded
 * dynalite locally), so both paths exercise the same conditional writes.
 */
export interface ResultStore {
  getStates(
    checkIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, StoredCheckState>>;
  /**
   * Writes `next` in one conditional write: only if the stored version is still
   * `expectedVersion` (undefined: the item must not exist) and, when `newToken` is given, the
   * stored `lastToken` is older. Returns false when another run got there first; the caller
   * re-reads and decides again.
   */
  putState(next: StoredCheckState, condition: PutCondition, signal?: AbortSignal): Promise<boolean>;
  /** Writes history items (batched; one per check run, keyed by scheduled or start time). */
  appendRuns(records: readonly RunRecord[], expiresAt: number, signal?: AbortSignal): Promise<void>;
  history(checkId: string, range?: HistoryRange, signal?: AbortSignal): Promise<RunRecord[]>;
  /**
   * Records that a suite completed its run for `run.scheduledTime`; a record only moves forward
   * (a late duplicate of an older run changes nothing).
   */
  recordSuiteRun(suite: string, run: CompletedSuiteRun, signal?: AbortSignal): Promise<void>;
  getSuiteRuns(
    suites: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, SuiteRunRecord>>;
  /** Sets `watchingSince` on the suites that have none yet. */
  watchSuites(suites: readonly string[], since: Date, signal?: AbortSignal): Promise<void>;
}
