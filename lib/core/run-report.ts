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
}

export interface RunReport {
  readonly suite: string | null;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly status: Status;
  readonly results: readonly CheckResult[];
  readonly alerts: readonly AlertNotice[];
}

export function buildReport(
  suite: string | null,
  startedAt: Date,
  finishedAt: Date,
  results: readonly CheckResult[],
  alerts: readonly AlertNotice[] = [],
): RunReport {
  return {
    suite,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    status: worstStatus(results.map((r) => r.status)),
    results,
    alerts,
  };
}

export function exitCodeOf(report: RunReport): number {
  return exitCodeByStatus[report.status];
}
