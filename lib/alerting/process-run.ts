import { randomUUID } from 'node:crypto';
import { durationSeconds } from '../config/fields.ts';
import type { CheckConfig, Config } from '../config/load-config.ts';
import type { CheckResult } from '../core/result.ts';
import type { AlertNotice } from '../core/run-report.ts';
import { mapWithConcurrency } from '../core/semaphore.ts';
import { expiresAtFor } from '../store/table-layout.ts';
import { initialAlertState } from './alert-state.ts';
import { applyGroups } from './apply-groups.ts';
import { type Decision, decideCheck, runSlot } from './decide.ts';
import { type DownChannels, deliverRunClaims, type OwnedClaims } from './deliver.ts';
import {
  defaultLeaseSeconds,
  logDropped,
  noticeFor,
  settleDeliveries,
  withoutVersion,
} from './deliver-pending.ts';
import { defaultGrouping, type GroupingSettings } from './grouping.ts';
import { groupItem, settleGroup } from './incident-group.ts';
import { maintenanceHoldFor, openMaintenanceWindows } from './maintenance.ts';
import type { AlertNotification } from './notification.ts';
import type { AlertLogger, Notifier } from './notifier.ts';
import { silentLogger } from './notifier.ts';
import { planRun } from './plan-run.ts';
import type { ResultStore, StoredCheckState } from './result-store.ts';
import type { AlertCheck } from './state-machine.ts';
import { updateStateWithRetry, updateWithRetry } from './update-state.ts';

export interface AlertingDeps {
  readonly store: ResultStore;
  readonly notifiers: readonly Notifier[];
  readonly logger?: AlertLogger;
  /**
   * The slot this run stands for (EventBridge Scheduler's scheduled time, `run --scheduled-time`).
   * A second run for the same suite and scheduled time is a duplicate: it records and alerts
   * nothing. Maintenance windows are judged at this time.
   */
  readonly scheduledTime?: Date;
  /** Identifies this run's delivery leases. @default a random UUID */
  readonly runId?: string;
  /** How long a run may hold outbox entries it is delivering. @default 120 */
  readonly leaseSeconds?: number;
  /**
   * Bounds reading state, recording results and delivering. Separate from the checks' budget on
   * purpose: when that budget runs out the results must still be recorded. @default no limit
   */
  readonly signal?: AbortSignal;
}

export interface ProcessRunInput {
  readonly config: Config;
  readonly checks: readonly CheckConfig[];
  readonly suite: string | null;
  readonly results: readonly CheckResult[];
  readonly now: Date;
  /** States already read before the run (to give checks their previous result). */
  readonly states?: Map<string, StoredCheckState>;
  readonly signal?: AbortSignal;
}

function alertCheck(check: CheckConfig): AlertCheck {
  return {
    ...check,
    ...(check.remindEvery ? { remindEverySeconds: durationSeconds(check.remindEvery) } : {}),
  };
}

/** The grouping settings of a suite run: the suite's own, else `defaults.grouping`. */
export function groupingFor(config: Config, suite: string | null): GroupingSettings {
  const own = config.suites.find((s) => s.id === suite)?.grouping;
  const chosen = own ?? config.defaults.grouping ?? defaultGrouping;
  return chosen === false ? { ...defaultGrouping, enabled: false } : chosen;
}

interface Applied {
  readonly check: CheckConfig;
  readonly result: CheckResult;
  readonly decision: Exclude<Decision, { duplicate: true }>;
}

/**
 * After the checks ran: apply each result to its STATE (state machine + outbox, one conditional
 * write), record history for what was applied, deliver what is due, and settle. Returns the
 * run's `alerts` (SPEC.md): new notifications, retried ones and held ones. Skipped checks (the
 * run's budget ended before they started) change no alert state; they are only marked so the
 * next run starts with them. Throws only when the store fails; then nothing was marked sent.
 */
export async function processRun(
  input: ProcessRunInput,
  deps: AlertingDeps,
): Promise<AlertNotice[]> {
  const logger = deps.logger ?? silentLogger;
  const runId = deps.runId ?? randomUUID();
  const { now } = input;
  const signal = input.signal ? { signal: input.signal } : {};
  const checksById = new Map(input.checks.map((c) => [c.id, c]));
  const slot = deps.scheduledTime ? runSlot(input.suite, deps.scheduledTime) : undefined;
  const windowTime = deps.scheduledTime ?? now;
  const route = (n: AlertNotification) =>
    deps.notifiers.filter((x) => x.accepts(n)).map((x) => x.channel);
  const claimOptions = {
    runId,
    now,
    leaseUntil: new Date(now.getTime() + (deps.leaseSeconds ?? defaultLeaseSeconds) * 1000),
    channels: deps.notifiers.map((n) => n.channel),
  };
  const recorded = input.results.filter((result) => checksById.has(result.check));
  // Once per run: which windows are open does not depend on the check.
  const openWindows = openMaintenanceWindows(
    input.config.maintenanceWindows,
    input.config.timezone,
    windowTime,
  );

  // Plan before writing: which new incidents are suppressed by a failing parent, and which
  // form grouped incidents, needs every result of the run (and the states they replace).
  const states = new Map(
    input.states ?? (await deps.store.getStates([...checksById.keys()], input.signal)),
  );
  const outside = [
    ...new Set(input.checks.flatMap((c) => c.dependsOn ?? []).filter((id) => !states.has(id))),
  ];
  if (outside.length > 0) {
    for (const [id, state] of await deps.store.getStates(outside, input.signal))
      states.set(id, state);
  }
  const openGroups = await deps.store.getIncidentGroups(input.suite, input.signal);
  const { suppressedBy, dependents, plan } = planRun({
    checks: checksById,
    results: recorded,
    states,
    settings: (check) => alertCheck(check),
    hold: (id) => maintenanceHoldFor(openWindows, id),
    grouping: groupingFor(input.config, input.suite),
    suite: input.suite,
    now,
    at: (deps.scheduledTime ?? now).toISOString(),
    openGroups,
  });
  const groupOf = new Map(plan.joins);
  for (const group of plan.groups) for (const m of group.members) groupOf.set(m.check, group.key);

  const decided = await mapWithConcurrency(recorded, 16, async (result) => {
    const check = checksById.get(result.check) as CheckConfig;
    const preloaded = states.get(check.id);
    const damaged = (preloaded as { damaged?: string } | undefined)?.damaged;
    if (damaged) {
      logger.error(`${check.id}: stored alert state was unreadable (${damaged}); starting afresh`);
    }
    const options = { preloaded, preloadedKnown: true, ...signal };
    if (result.skipped) {
      await markSkipped(deps.store, check.id, result, now, options);
      return undefined;
    }
    const hold = maintenanceHoldFor(openWindows, check.id);
    const parents = suppressedBy.get(check.id);
    const children = dependents.get(check.id);
    const group = groupOf.get(check.id);
    const decision = await updateStateWithRetry<Decision>(
      deps.store,
      check.id,
      (current) => {
        const d = decideCheck({
          current,
          check: alertCheck(check),
          result,
          suite: input.suite,
          ...(slot ? { slot } : {}),
          now,
          ...(hold ? { hold } : {}),
          ...(parents ? { suppressedBy: parents } : {}),
          ...(children ? { suppressedDependents: children } : {}),
          ...(group ? { group } : {}),
          route,
          claim: claimOptions,
        });
        return d.duplicate ? { value: d } : { next: d.next, value: d };
      },
      options,
    );
    if (decision.duplicate) {
      logger.info(`${check.id}: ${slot} was already applied; nothing recorded, no alerts`);
      return undefined;
    }
    logDropped(logger, decision.dropped);
    return { check, result, decision } satisfies Applied;
  });
  const applied = decided.filter((d): d is Applied => d !== undefined);

  // History only for what was applied: a redelivered slot must not overwrite the first record.
  await deps.store.appendRuns(
    applied.map(({ result }) => ({
      at: result.startedAt,
      suite: input.suite,
      ...(deps.scheduledTime ? { scheduledTime: deps.scheduledTime.toISOString() } : {}),
      result,
    })),
    expiresAtFor(now, input.config.defaults.retentionDays),
    input.signal,
  );

  const groups = await applyGroups(applied, plan.groups, openGroups, input.suite, deps.store, {
    now,
    route,
    claim: claimOptions,
    ...signal,
  });
  for (const g of groups) logDropped(logger, g.dropped);

  const down: DownChannels = new Set();
  const owned: OwnedClaims[] = [
    ...applied.map(({ check, decision }) => ({ owner: check.id, claims: decision.claims })),
    ...groups.map((g) => ({ owner: `group:${g.key}`, claims: g.claims })),
  ];
  const outcomesByOwner = await deliverRunClaims(owned, deps.notifiers, down, logger, input.signal);

  const perCheck = await mapWithConcurrency(applied, 16, async ({ check, decision }) => {
    const outcomes = outcomesByOwner.get(check.id) ?? [];
    await settleDeliveries(deps.store, check.id, runId, outcomes, { now, logger, ...signal });
    const byId = new Map(outcomes.map((o) => [o.id, o]));
    const newId = decision.notification?.id;
    const notices: AlertNotice[] = decision.claims
      .filter((c) => c.entry.notification.id !== newId)
      .map((c) =>
        noticeFor(c.entry.notification, byId.get(c.entry.notification.id), { retry: true }),
      );
    if (decision.notification) {
      const entry = decision.next.alert.outbox.find((e) => e.notification.id === newId);
      const claimedOn = decision.claims.find((c) => c.entry.notification.id === newId)?.channels;
      const waiting = (entry?.channels ?? []).filter((c) => !claimedOn?.includes(c));
      const dropped = entry
        ? undefined
        : (decision.dropped.find((d) => d.notification === newId)?.reason ??
          'no channel routes it');
      notices.push(
        noticeFor(decision.notification, newId ? byId.get(newId) : undefined, {
          waiting,
          ...(dropped ? { dropped } : {}),
        }),
      );
    }
    if (decision.held) notices.push(decision.held);
    if (decision.suppressed) {
      notices.push({
        check: check.id,
        event: 'trigger',
        severity: check.severity,
        status: decision.next.alert.lastStatus,
        suppressedBy: decision.suppressed,
      });
    }
    if (decision.grouped) {
      const n = decision.grouped.joined;
      notices.push({
        check: check.id,
        event: n?.event ?? 'resolve',
        severity: check.severity,
        status: n?.status ?? 'ok',
        grouped: decision.grouped.key,
      });
    }
    return notices;
  });
  const perGroup = await mapWithConcurrency(groups, 16, async (g) => {
    const outcomes = outcomesByOwner.get(`group:${g.key}`) ?? [];
    if (outcomes.length > 0) {
      const dropped = await updateWithRetry(
        groupItem(deps.store, input.suite, g.key),
        (current) => {
          if (!current) return { value: [] };
          const settled = settleGroup(current, runId, outcomes, now);
          return { next: settled.next, value: settled.dropped };
        },
        signal,
      );
      logDropped(logger, dropped);
    }
    const byId = new Map(outcomes.map((o) => [o.id, o]));
    const newId = g.notification?.id;
    const notices: AlertNotice[] = g.claims
      .filter((c) => c.entry.notification.id !== newId)
      .map((c) =>
        noticeFor(c.entry.notification, byId.get(c.entry.notification.id), { retry: true }),
      );
    if (g.notification) {
      notices.push({
        ...noticeFor(g.notification, newId ? byId.get(newId) : undefined),
        members: g.members,
      });
    }
    return notices;
  });
  return [...perCheck.flat(), ...perGroup.flat()];
}

/** A check the run never started: its alert state stays as it is; only `skipped` is noted. */
async function markSkipped(
  store: ResultStore,
  checkId: string,
  result: CheckResult,
  now: Date,
  options: Parameters<typeof updateStateWithRetry>[3],
): Promise<void> {
  const skipped = { at: now.toISOString(), reason: result.summary };
  await updateStateWithRetry(
    store,
    checkId,
    (current) => ({
      next: current
        ? { ...withoutVersion(current), skipped }
        : { check: checkId, appliedSlots: [], alert: initialAlertState(skipped.at), skipped },
      value: undefined,
    }),
    options,
  );
}
