import type { AlertState } from '../alerting/alert-state.ts';
import type { CheckResult } from '../core/result.ts';

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
}
