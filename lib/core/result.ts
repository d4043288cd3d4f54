import type { Status } from './status.ts';

/** What a check plugin returns. */
export interface CheckOutcome {
  readonly status: Status;
  readonly summary: string;
  readonly details?: Record<string, unknown>;
}

/** One check run as recorded and printed (SPEC.md result JSON). */
export interface CheckResult {
  readonly check: string;
  readonly type: string;
  readonly status: Status;
  readonly summary: string;
  readonly details: Record<string, unknown>;
  readonly durationMs: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  /**
   * The check never started: the run's time budget ended first. Its status is `unknown` for the
   * run's exit code, but it changes no alert state and is not recorded as a run of the check.
   */
  readonly skipped?: true;
}
