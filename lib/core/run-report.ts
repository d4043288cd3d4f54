import type { Severity } from '../config/fields.ts';
import type { CheckResult } from './result.ts';
import { exitCodeByStatus, type Status, worstStatus } from './status.ts';

export type AlertEvent = 'trigger' | 'resolve' | 'reminder';

/** A notification this run produced (SPEC.md `alerts`). */
export interface AlertNotice {
  readonly check: string;
  readonly event: AlertEvent;
  readonly severity: Severity;
  readonly status?: Status;
  readonly previousStatus?: Status;
  /** Channels that accepted it; missing ones are retried on the next run. */
  readonly delivered?: readonly string[];
  readonly pending?: readonly string[];
  /** Channels that refused it for good (e.g. PagerDuty 400); logged, not retried. */
  readonly failed?: readonly string[];
  readonly held?: string;
  /** A notification from an earlier run whose delivery this run retried. */
  readonly retry?: boolean;
  /** When the notification was produced. */
  readonly at?: string;
  /** Why nothing will deliver it (e.g. its trigger never reached any channel, so no resolve). */
  readonly dropped?: string;
  /** A new incident not notified because these parents (`dependsOn`) are failing. */
  readonly suppressedBy?: readonly string[];
  /** The check's notification was told through this grouped incident (its dedup key). */
  readonly grouped?: string;
  /** A grouped incident's notification: how many checks it is about. */
  readonly members?: number;
}

/** A check the run did not start (SPEC.md: it changes no alert state). */
export interface SkippedCheck {
  readonly check: string;
  readonly reason: string;
}

export interface RunReport {
  readonly suite: string | null;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly status: Status;
  readonly results: readonly CheckResult[];
  readonly alerts: readonly AlertNotice[];
  /** Checks not started because the run's time budget ended; the next run starts with them. */
  readonly skipped?: readonly SkippedCheck[];
}

export function buildReport(
  suite: string | null,
  startedAt: Date,
  finishedAt: Date,
  results: readonly CheckResult[],
  alerts: readonly AlertNotice[] = [],
): RunReport {
  const skipped = results
    .filter((r) => r.skipped)
    .map((r) => ({ check: r.check, reason: r.summary }));
  return {
    suite,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    // A skipped check counts as unknown: the run could not decide it.
    status: worstStatus(results.map((r) => r.status)),
    results,
    alerts,
    ...(skipped.length > 0 ? { skipped } : {}),
  };
}

export function exitCodeOf(report: RunReport): number {
  return exitCodeByStatus[report.status];
}
