import type { Status } from '../core/status.ts';
import type { OutboxEntry } from './notification.ts';

/**
 * What the alerting remembers per check between runs. `alertedStatus` is what the outside world
 * was last told ('ok' = no open alert); comparing it with what the thresholds now say decides
 * every notification, which is also how held (maintenance) alerts catch up once a window ends.
 */
export interface AlertState {
  readonly lastStatus: Status;
  /** First run with `lastStatus` in the current streak. */
  readonly statusSince: string;
  /** First failing run of the current failing streak (kept until resolved). */
  readonly failingSince?: string;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  readonly alertedStatus: Status;
  readonly lastNotifiedAt?: string;
  readonly lastRunAt: string;
  readonly outbox: readonly OutboxEntry[];
  /**
   * Channels that accepted a trigger (or reminder) and no resolve since: where an incident is
   * open. A resolve goes to these whatever the check's severity routes to now. Undefined for
   * states written before it was tracked (then nothing is assumed closed).
   */
  readonly openOn?: readonly string[];
  /**
   * The grouped incident (its dedup key) this check's trigger went into: while set, the check's
   * own triggers, escalations and reminders are told through the group, and its resolve leaves
   * the group instead of being sent on its own (lib/alerting/incident-group.ts).
   */
  readonly group?: string;
  /** Parents (`dependsOn`) whose failure suppressed this check's trigger in its latest run. */
  readonly suppressedBy?: readonly string[];
  /** Reminders sent since the incident opened (for `maxReminders`). */
  readonly remindersSent?: number;
}

/** A check's alert settings after config defaults are applied. */
export interface AlertSettings {
  readonly failureThreshold: number;
  readonly successThreshold: number;
  /** Seconds between reminders while failing; unset = no reminders. */
  readonly remindEverySeconds?: number;
  /** At most this many reminders per incident; unset = no cap. */
  readonly maxReminders?: number;
}

export const initialAlertState = (at: string): AlertState => ({
  lastStatus: 'ok',
  statusSince: at,
  consecutiveFailures: 0,
  consecutiveSuccesses: 0,
  alertedStatus: 'ok',
  lastRunAt: at,
  outbox: [],
  openOn: [],
});
