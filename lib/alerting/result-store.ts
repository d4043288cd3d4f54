import type { CheckResult } from '../core/result.ts';
import type { AlertState } from './alert-state.ts';
import type { StoredIncidentGroup } from './incident-group.ts';

/**
 * A check's STATE: its latest result and alert state (with the outbox). `version` grows by one on
 * every write (optimistic concurrency). Adapters store it as they like and read it back through
 * `parseStoredState` (lib/alerting/stored-state.ts), which validates it and migrates old shapes.
 */
export interface StoredCheckState {
  readonly check: string;
  readonly version: number;
  /**
   * Run slots recently applied to this check, `<suite or ->@<scheduled time>`, oldest first and
   * bounded. A run for a slot in this list is a duplicate delivery: it changes nothing and alerts
   * nothing. Membership only: slots are never compared as times.
   */
  readonly appliedSlots: readonly string[];
  readonly alert: AlertState;
  readonly lastResult?: CheckResult;
  /** Set when the last run ran out of time before this check started; the next run starts with it. */
  readonly skipped?: { readonly at: string; readonly reason: string };
}

/** One check run in history. Its key is (check, scheduled time or start time, suite). */
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
 * Where results and alert state live: the port the alerting core uses. Adapters: DynamoDB
 * (lib/store/dynamodb-store.ts, on AWS and on embedded dynalite) and whatever else implements
 * these four calls; `test/store/result-store-contract.ts` is the suite every adapter must pass.
 *
 * Every call takes an optional AbortSignal and must give up when it aborts. I/O failures throw
 * (the run then fails loudly); a lost race is not a failure (`putState` answers false).
 */
export interface ResultStore {
  /** The STATE of each id that has one (ids without one are absent), consistent reads. */
  getStates(
    checkIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, StoredCheckState>>;
  /**
   * Writes `next` only if the stored version is still `expectedVersion` (undefined: no STATE
   * exists for `next.check`). Returns false when another writer got there first; the caller
   * re-reads and decides again (see `updateStateWithRetry`). Never a partial write.
   */
  putState(
    next: StoredCheckState,
    expectedVersion: number | undefined,
    signal?: AbortSignal,
  ): Promise<boolean>;
  /**
   * Adds history records, expiring `expiresAt` (epoch seconds). Records for different
   * (check, time, suite) keys never replace each other; the same key written again replaces.
   */
  appendRuns(records: readonly RunRecord[], expiresAt: number, signal?: AbortSignal): Promise<void>;
  /** One check's records within the range, oldest first, expired ones hidden. */
  history(checkId: string, range?: HistoryRange, signal?: AbortSignal): Promise<RunRecord[]>;
  /**
   * The grouped incidents of one suite (`null`: runs of no single suite) that are open or still
   * have deliveries waiting (lib/alerting/incident-group.ts). Closed groups with nothing left to
   * deliver are left out unless `includeDone` (adapters may drop them after a while).
   */
  getIncidentGroups(
    suite: string | null,
    signal?: AbortSignal,
    options?: { readonly includeDone?: boolean },
  ): Promise<StoredIncidentGroup[]>;
  /**
   * Writes a group only if its stored version is still `expectedVersion` (undefined: no group
   * with `next.key` exists), like `putState`. Returns false when another writer got there first.
   */
  putIncidentGroup(
    next: StoredIncidentGroup,
    expectedVersion: number | undefined,
    signal?: AbortSignal,
  ): Promise<boolean>;
}

/** A STATE could not be updated because other writers kept winning the conditional write. */
export class StoreContentionError extends Error {
  constructor(check: string, attempts: number) {
    super(`could not update the alert state of ${check}: ${attempts} concurrent writers won first`);
    this.name = 'StoreContentionError';
  }
}

/** A STATE written by a newer healthcheck (a schema version this code does not know). */
export class StoredStateVersionError extends Error {
  constructor(check: string, version: unknown) {
    super(
      `the stored state of ${check} has schema version ${String(version)}, newer than this healthcheck understands: upgrade healthcheck`,
    );
    this.name = 'StoredStateVersionError';
  }
}
