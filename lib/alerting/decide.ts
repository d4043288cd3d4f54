import type { CheckResult } from '../core/result.ts';
import type { AlertNotice } from '../core/run-report.ts';
import type { AlertState } from './alert-state.ts';
import type { AlertNotification } from './notification.ts';
import { type Claim, type ClaimOptions, claim, type DroppedDelivery, enqueue } from './outbox.ts';
import type { StoredCheckState } from './result-store.ts';
import { type AlertCheck, applyResult } from './state-machine.ts';

/** Applied slots kept per check: far more than the redeliveries of one slot could span. */
export const maxAppliedSlots = 48;

/** The slot a run stands for: this suite at this scheduled time (`-` for no single suite). */
export function runSlot(suite: string | null, scheduledTime: Date): string {
  return `${suite ?? '-'}@${scheduledTime.toISOString()}`;
}

export interface DecideInput {
  readonly current: StoredCheckState | undefined;
  readonly check: AlertCheck;
  readonly result: CheckResult;
  readonly suite: string | null;
  /** Undefined for a run that stands for no slot (an ad-hoc CLI run): never a duplicate. */
  readonly slot?: string;
  readonly now: Date;
  readonly hold?: string;
  /** Parents (`dependsOn`) failing in this run: a new incident of this check is suppressed. */
  readonly suppressedBy?: readonly string[];
  /** Dependents whose new incidents this check's failure suppressed (named in its trigger). */
  readonly suppressedDependents?: readonly string[];
  /** The grouped incident a new trigger of this check goes into (grouping.ts planned it). */
  readonly group?: string;
  /** Channels that route a notification (severity filters). */
  readonly route: (notification: AlertNotification) => readonly string[];
  readonly claim: ClaimOptions;
}

export type Decision =
  | { readonly duplicate: true }
  | {
      readonly duplicate: false;
      readonly next: Omit<StoredCheckState, 'version'>;
      readonly notification?: AlertNotification;
      readonly held?: AlertNotice;
      /** A new incident suppressed by failing parents. */
      readonly suppressed?: readonly string[];
      /**
       * The notification went to a grouped incident instead of this check's outbox: `joined` is
       * the trigger (or escalation, reminder) told through the group, `left` a resolve that takes
       * the check out of it.
       */
      readonly grouped?: {
        readonly key: string;
        readonly joined?: AlertNotification;
        readonly left?: boolean;
      };
      readonly claims: readonly Claim[];
      readonly dropped: readonly DroppedDelivery[];
    };

/**
 * One check's result applied to its STATE, as a pure function: duplicate slot check, the state
 * machine, the outbox (enqueue + coalesce) and this run's delivery claims. The caller writes
 * `next` conditionally and, on a lost race, calls this again with the state that won.
 */
export function decideCheck(input: DecideInput): Decision {
  const { current, slot } = input;
  if (slot && current?.appliedSlots.includes(slot)) return { duplicate: true };
  const transition = applyResult({
    previous: current?.alert,
    result: input.result,
    check: input.check,
    suite: input.suite,
    now: input.now,
    ...(input.hold ? { hold: input.hold } : {}),
    ...(input.suppressedBy?.length ? { suppressedBy: input.suppressedBy } : {}),
  });
  const routed = toGroup(
    transition.state,
    transition.notification,
    current?.alert.group ?? input.group,
  );
  const dependents = input.suppressedDependents ?? [];
  const notification =
    routed.notification && dependents.length > 0 && routed.notification.event !== 'resolve'
      ? { ...routed.notification, suppressedDependents: [...dependents] }
      : routed.notification;
  const openOn = routed.state.openOn;
  const queued = notification
    ? enqueue(routed.state.outbox, openOn, notification, input.route(notification), input.now)
    : { outbox: [...routed.state.outbox], dropped: [] };
  const claimed = claim(queued.outbox, input.claim);
  const alert: AlertState = { ...routed.state, outbox: claimed.outbox };
  const appliedSlots = slot
    ? [...(current?.appliedSlots ?? []).filter((s) => s !== slot), slot].slice(-maxAppliedSlots)
    : [...(current?.appliedSlots ?? [])];
  const held: AlertNotice | undefined = transition.held
    ? {
        check: input.check.id,
        event: transition.held.event,
        severity: input.check.severity,
        status: transition.held.status,
        held: transition.held.reason,
      }
    : undefined;
  return {
    duplicate: false,
    next: { check: input.check.id, appliedSlots, alert, lastResult: input.result },
    ...(notification ? { notification } : {}),
    ...(held ? { held } : {}),
    ...(transition.suppressed ? { suppressed: transition.suppressed } : {}),
    ...(routed.grouped ? { grouped: routed.grouped } : {}),
    claims: claimed.claims,
    dropped: [...queued.dropped, ...claimed.dropped],
  };
}

/**
 * Where a check's notification goes when it belongs to a grouped incident: a trigger (or an
 * escalation or reminder of a grouped check) is told through the group, not on its own; a
 * resolve takes the check out of the group (the group resolves with its last member).
 */
function toGroup(
  state: AlertState,
  notification: AlertNotification | undefined,
  group: string | undefined,
): {
  state: AlertState;
  notification?: AlertNotification;
  grouped?: { key: string; joined?: AlertNotification; left?: boolean };
} {
  if (!notification || !group) return { state, ...(notification ? { notification } : {}) };
  if (notification.event === 'resolve') {
    const { group: _group, ...rest } = state;
    return { state: rest, grouped: { key: group, left: true } };
  }
  return { state: { ...state, group }, grouped: { key: group, joined: notification } };
}
