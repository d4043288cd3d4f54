import type { Severity } from '../config/fields.ts';
import type { AlertEvent } from '../core/run-report.ts';
import type { Status } from '../core/status.ts';

/**
 * One alert to deliver, as stored in a check's outbox until every channel accepted it. Kept small
 * and self-contained (bounded details) so a retry days later needs nothing else.
 */
export interface AlertNotification {
  /** Unique per notification: `<check>:<event>:<at>`; channels may use it to drop duplicates. */
  readonly id: string;
  readonly check: string;
  readonly name?: string;
  readonly suite: string | null;
  readonly event: AlertEvent;
  readonly status: Status;
  readonly previousStatus: Status;
  /** The check had no recorded state before this run, so `previousStatus` is no observation. */
  readonly firstRun?: boolean;
  readonly severity: Severity;
  readonly summary: string;
  readonly runbook?: string;
  readonly details: Record<string, unknown>;
  /** When the check started failing (trigger/reminder) or when the failure began (resolve). */
  readonly since: string;
  /** When this notification was produced. */
  readonly at: string;
}

/** An outbox entry: the notification plus the channels that have not accepted it yet. */
export interface PendingNotification {
  readonly notification: AlertNotification;
  readonly channels: readonly string[];
  readonly attempts: number;
  readonly lastError?: string;
  /** A run that is delivering it right now; others leave it alone until the lease ends. */
  readonly claimedBy?: string;
  readonly claimedUntil?: string;
}

/** PagerDuty severity for a check status (SPEC.md). */
export function pagerDutySeverity(status: Status): 'critical' | 'warning' | 'error' | 'info' {
  if (status === 'critical') return 'critical';
  if (status === 'warning') return 'warning';
  if (status === 'unknown') return 'error';
  return 'info';
}
