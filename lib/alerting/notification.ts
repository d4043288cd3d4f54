import type { Severity } from '../config/fields.ts';
import type { AlertEvent } from '../core/run-report.ts';
import type { Status } from '../core/status.ts';

/**
 * One alert to deliver, as stored in an outbox until every channel accepted it. Kept small and
 * self-contained (bounded details) so a retry days later needs nothing else.
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
  /**
   * The incident this notification belongs to (PagerDuty `dedup_key`). @default the check id.
   * A grouped notification (one per suite incident) carries its own.
   */
  readonly dedupKey?: string;
  /** Set on a grouped notification: the member checks, worst first (lib/alerting/grouping.ts). */
  readonly group?: NotificationGroup;
  /** Dependent checks (`dependsOn`) whose triggers this check's failure suppressed in this run. */
  readonly suppressedDependents?: readonly string[];
}

/** What a grouped notification carries about its members. */
export interface NotificationGroup {
  /** What the members share, when they share something: "connect ECONNREFUSED 10.0.4.7:443". */
  readonly cause?: string;
  /** How many checks the incident has (the listing may be cut, this is not). */
  readonly count: number;
  /** Worst first, at most `maxListedMembers`. */
  readonly members: readonly GroupMemberNotice[];
}

export interface GroupMemberNotice {
  readonly check: string;
  readonly name?: string;
  readonly status: Status;
  readonly severity: Severity;
  readonly summary: string;
}

/** A channel that refused a notification for good (e.g. PagerDuty 400): shown, never retried by runs. */
export interface FailedChannel {
  readonly channel: string;
  readonly error: string;
  readonly at: string;
}

/**
 * An outbox entry: the notification, the channels that have not accepted it yet and the ones that
 * refused it for good. Coalesced (lib/alerting/outbox.ts): per incident and channel at most one
 * entry waits, always the newest.
 */
export interface OutboxEntry {
  readonly notification: AlertNotification;
  /** Channels still to deliver to (retried by every run, oldest first). */
  readonly channels: readonly string[];
  /** Channels that refused it permanently; `healthcheck replay` sends them again. */
  readonly failed?: readonly FailedChannel[];
  readonly attempts: number;
  readonly lastError?: string;
  /** A run that is delivering it right now; others leave it alone until the lease ends. */
  readonly claimedBy?: string;
  readonly claimedUntil?: string;
}

/** The incident a notification belongs to. */
export function dedupKeyOf(n: AlertNotification): string {
  return n.dedupKey ?? n.check;
}

/** Triggers and reminders open (or keep open) an incident on a channel; a resolve closes it. */
export function opensIncident(n: AlertNotification): boolean {
  return n.event !== 'resolve';
}

/** PagerDuty severity for a check status (SPEC.md). */
export function pagerDutySeverity(status: Status): 'critical' | 'warning' | 'error' | 'info' {
  if (status === 'critical') return 'critical';
  if (status === 'warning') return 'warning';
  if (status === 'unknown') return 'error';
  return 'info';
}
