import type { Severity } from '../config/fields.ts';
import type { CheckResult } from '../core/result.ts';
import type { AlertEvent } from '../core/run-report.ts';
import { compareStatus, isFailing, type Status } from '../core/status.ts';
import { type AlertSettings, type AlertState, initialAlertState } from './alert-state.ts';
import { boundedSummary, notificationDetails } from './bounded.ts';
import type { AlertNotification } from './notification.ts';

export interface AlertCheck extends AlertSettings {
  readonly id: string;
  readonly name?: string;
  readonly severity: Severity;
  readonly runbook?: string;
}

export interface TransitionInput {
  readonly previous: AlertState | undefined;
  readonly result: CheckResult;
  readonly check: AlertCheck;
  readonly suite: string | null;
  readonly now: Date;
  /**
   * Set while a maintenance window covers the check: new triggers, escalations and reminders are
   * held, not sent. A resolve is never held: an incident must not stay open for the window.
   */
  readonly hold?: string;
  /**
   * Parents (`dependsOn`) failing in this run: a new incident (a trigger while nothing is open)
   * is suppressed. Only the creation of an alert: results, state, reminders, escalations of an
   * incident already open and resolves go on as usual.
   */
  readonly suppressedBy?: readonly string[];
}

export interface Transition {
  /** The new state (the caller adds `notification` to its outbox with the channels to use). */
  readonly state: AlertState;
  readonly notification?: AlertNotification;
  /** A notification the maintenance window kept back; it is produced again once the window ends. */
  readonly held?: { readonly event: AlertEvent; readonly status: Status; readonly reason: string };
  /** A new incident suppressed because these parents are failing (also in `state.suppressedBy`). */
  readonly suppressed?: readonly string[];
}

/** Which alert status the thresholds say the world should now be told about. */
function desiredAlertStatus(
  previous: AlertState,
  status: Status,
  failures: number,
  successes: number,
  settings: AlertSettings,
): Status {
  if (isFailing(status) && failures >= settings.failureThreshold) return status;
  if (!isFailing(status) && successes >= settings.successThreshold) return 'ok';
  return previous.alertedStatus;
}

function decideEvent(
  previous: AlertState,
  desired: Status,
  status: Status,
  now: Date,
  settings: AlertSettings,
): AlertEvent | undefined {
  const told = previous.alertedStatus;
  if (told === 'ok') return desired === 'ok' ? undefined : 'trigger';
  if (desired === 'ok') return 'resolve';
  // Escalation only: flapping critical <-> warning must not page every run.
  if (compareStatus(desired, told) > 0) return 'trigger';
  // Reminders only while the result itself is failing: a check that is ok but not yet resolved
  // (successThreshold > 1) must not send a "still failing" notification with status ok.
  if (!isFailing(status)) return undefined;
  if (settings.maxReminders !== undefined && (previous.remindersSent ?? 0) >= settings.maxReminders)
    return undefined;
  if (settings.remindEverySeconds && settings.remindEverySeconds > 0 && previous.lastNotifiedAt) {
    const elapsed = (now.getTime() - Date.parse(previous.lastNotifiedAt)) / 1000;
    if (elapsed >= settings.remindEverySeconds) return 'reminder';
  }
  return undefined;
}

/**
 * The alert state machine: previous state + new result + settings + time -> new state and at most
 * one notification. Pure: no I/O, no clock, so every transition is table-tested.
 */
export function applyResult(input: TransitionInput): Transition {
  const { result, check, now } = input;
  const at = now.toISOString();
  const previous = input.previous ?? initialAlertState(at);
  const failing = isFailing(result.status);
  const failures = failing ? previous.consecutiveFailures + 1 : 0;
  const successes = failing ? 0 : previous.consecutiveSuccesses + 1;
  const desired = desiredAlertStatus(previous, result.status, failures, successes, check);
  const event = decideEvent(previous, desired, result.status, now, check);
  const alertOpen = previous.alertedStatus !== 'ok';
  const failingSince = failing
    ? (previous.failingSince ?? at)
    : alertOpen
      ? previous.failingSince
      : undefined;

  const base: AlertState = {
    ...previous,
    lastStatus: result.status,
    statusSince:
      input.previous && previous.lastStatus === result.status ? previous.statusSince : at,
    consecutiveFailures: failures,
    consecutiveSuccesses: successes,
    lastRunAt: at,
    ...(failingSince ? { failingSince } : {}),
  };
  if (!failingSince) delete (base as { failingSince?: string }).failingSince;
  delete (base as { suppressedBy?: readonly string[] }).suppressedBy;

  if (!event) return { state: base };
  const status = event === 'resolve' ? 'ok' : event === 'reminder' ? result.status : desired;
  const suppressedBy = input.suppressedBy ?? [];
  if (event === 'trigger' && previous.alertedStatus === 'ok' && suppressedBy.length > 0) {
    return { state: { ...base, suppressedBy: [...suppressedBy] }, suppressed: [...suppressedBy] };
  }
  if (input.hold && event !== 'resolve') {
    return { state: base, held: { event, status, reason: input.hold } };
  }
  const notification: AlertNotification = {
    id: `${check.id}:${event}:${at}`,
    check: check.id,
    ...(check.name ? { name: check.name } : {}),
    suite: input.suite,
    event,
    status,
    previousStatus: previous.alertedStatus,
    ...(input.previous ? {} : { firstRun: true }),
    severity: check.severity,
    summary: boundedSummary(result.summary),
    ...(check.runbook ? { runbook: check.runbook } : {}),
    details: notificationDetails(result.details),
    since: (event === 'resolve' ? previous.failingSince : failingSince) ?? at,
    at,
  };
  const alertedStatus = event === 'reminder' ? previous.alertedStatus : status;
  const state: AlertState = {
    ...base,
    alertedStatus,
    lastNotifiedAt: at,
    ...(event === 'reminder' ? { remindersSent: (previous.remindersSent ?? 0) + 1 } : {}),
  };
  if (event !== 'reminder') delete (state as { remindersSent?: number }).remindersSent;
  if (event === 'resolve') delete (state as { failingSince?: string }).failingSince;
  return { state, notification };
}
