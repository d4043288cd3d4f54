import type { Status } from '../core/status.ts';

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
 * The watchdog's port: where the runner records each suite's last completed run and the watchdog
 * reads it. Adapter: lib/store/dynamodb-suite-runs.ts (the results table, on AWS and embedded).
 * Every call takes an optional AbortSignal; I/O failures throw.
 */
export interface SuiteRunStore {
  /**
   * Records that a suite completed its run for `run.scheduledTime`. A record only moves forward:
   * a late duplicate of an older run changes nothing.
   */
  recordSuiteRun(suite: string, run: CompletedSuiteRun, signal?: AbortSignal): Promise<void>;
  /** The records of the suites that have one (others are absent), consistent reads. */
  getSuiteRuns(
    suites: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, SuiteRunRecord>>;
  /** Sets `watchingSince` on the suites that have none yet (a first look never moves it). */
  watchSuites(suites: readonly string[], since: Date, signal?: AbortSignal): Promise<void>;
}
