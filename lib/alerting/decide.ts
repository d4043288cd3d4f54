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
  });
  const openOn = transition.state.openOn;
  const queued = transition.notification
    ? enqueue(
        transition.state.outbox,
        openOn,
        transition.notification,
        input.route(transition.notification),
        input.now,
      )
    : { outbox: [...transition.state.outbox], dropped: [] };
  const claimed = claim(queued.outbox, input.claim);
  const alert: AlertState = { ...transition.state, outbox: claimed.outbox };
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
    ...(transition.notification ? { notification: transition.notification } : {}),
    ...(held ? { held } : {}),
    claims: claimed.claims,
    dropped: [...queued.dropped, ...claimed.dropped],
  };
}
