import { randomUUID } from 'node:crypto';
import type { AlertNotice } from '../core/run-report.ts';
import { mapWithConcurrency } from '../core/semaphore.ts';
import { type DownChannels, deliverRunClaims } from './deliver.ts';
import { groupItem, type StoredIncidentGroup, settleGroup } from './incident-group.ts';
import type { AlertNotification, OutboxEntry } from './notification.ts';
import type { AlertLogger, Notifier } from './notifier.ts';
import { silentLogger } from './notifier.ts';
import {
  type Claim,
  claim,
  type DeliveryOutcome,
  type DroppedDelivery,
  requeueFailed,
  settle,
} from './outbox.ts';
import type { ResultStore, StoredCheckState } from './result-store.ts';
import { updateStateWithRetry, updateWithRetry } from './update-state.ts';

/** Default delivery lease: longer than one delivery's retries, short enough to recover a crash. */
export const defaultLeaseSeconds = 120;

/** The state as a write candidate: what `updateStateWithRetry` versions itself. */
export function withoutVersion(state: StoredCheckState): Omit<StoredCheckState, 'version'> {
  const { version: _version, ...rest } = state as StoredCheckState & { damaged?: string };
  delete (rest as { damaged?: string }).damaged;
  return rest;
}

export function logDropped(logger: AlertLogger, dropped: readonly DroppedDelivery[]): void {
  for (const d of dropped) {
    const line = `${d.check}: ${d.event} ${d.notification} dropped for ${d.channel}: ${d.reason}`;
    // Superseded and cancelled entries are the outbox doing its job; a lost channel is news.
    if (d.reason.startsWith('channel') || d.reason.startsWith('outbox full')) logger.warn(line);
    else logger.info(line);
  }
}

/** Records what deliveries did (one conditional write, re-decided on a lost race). */
export async function settleDeliveries(
  store: ResultStore,
  checkId: string,
  runId: string,
  outcomes: readonly DeliveryOutcome[],
  options: { now: Date; logger: AlertLogger; signal?: AbortSignal },
): Promise<void> {
  if (outcomes.length === 0) return;
  const dropped = await updateStateWithRetry(
    store,
    checkId,
    (current) => {
      if (!current) return { value: [] as DroppedDelivery[] };
      const settled = settle(
        current.alert.outbox,
        current.alert.openOn,
        runId,
        outcomes,
        options.now,
      );
      const { openOn: _open, ...alert } = current.alert;
      return {
        next: {
          ...withoutVersion(current),
          alert: {
            ...alert,
            outbox: settled.outbox,
            ...(settled.openOn ? { openOn: settled.openOn } : {}),
          },
        },
        value: settled.dropped,
      };
    },
    options.signal ? { signal: options.signal } : {},
  );
  logDropped(options.logger, dropped);
}

/** An `alerts` entry for a notification this run tried to deliver. */
export function noticeFor(
  n: AlertNotification,
  outcome: DeliveryOutcome | undefined,
  extra: { retry?: boolean; waiting?: readonly string[]; dropped?: string } = {},
): AlertNotice {
  const pending = [...new Set([...(outcome?.pending ?? []), ...(extra.waiting ?? [])])];
  return {
    check: n.check,
    event: n.event,
    severity: n.severity,
    status: n.status,
    previousStatus: n.previousStatus,
    at: n.at,
    delivered: outcome?.delivered ?? [],
    pending,
    ...(outcome?.failed.length ? { failed: outcome.failed.map((f) => f.channel) } : {}),
    ...(extra.retry ? { retry: true } : {}),
    ...(extra.dropped ? { dropped: extra.dropped } : {}),
  };
}

export interface DeliverPendingDeps {
  readonly store: ResultStore;
  readonly notifiers: readonly Notifier[];
  readonly logger?: AlertLogger;
  readonly runId?: string;
  readonly leaseSeconds?: number;
  readonly now?: () => Date;
  readonly signal?: AbortSignal;
  /**
   * Replay: put permanently refused channels matching this back to pending first. Without it,
   * refused channels stay as they are.
   */
  readonly requeue?: (entry: OutboxEntry, channel: string) => boolean;
  /** Suites whose grouped incidents' outboxes are delivered too (`null`: runs of no suite). */
  readonly suites?: readonly (string | null)[];
}

/** One outbox's claims: a check's, or a grouped incident's (`group`). */
interface Owned {
  readonly owner: string;
  readonly claims: readonly Claim[];
  readonly group?: { readonly suite: string | null; readonly key: string };
}

export interface DeliverPendingResult {
  readonly notices: AlertNotice[];
  /** Refused channels put back to pending (replay). */
  readonly requeued: number;
}

/**
 * Delivers what is waiting in the outboxes of `checkIds` without running any check: the delivery
 * schedule on AWS (so a page that failed goes out minutes later, not at the suite's next run)
 * and `healthcheck replay`. Same claims, leases and settlement as a run.
 */
export async function deliverPending(
  checkIds: readonly string[],
  deps: DeliverPendingDeps,
): Promise<DeliverPendingResult> {
  const logger = deps.logger ?? silentLogger;
  const runId = deps.runId ?? randomUUID();
  const now = deps.now ?? (() => new Date());
  const channels = deps.notifiers.map((n) => n.channel);
  const signal = deps.signal ? { signal: deps.signal } : {};
  const at = now();
  const leaseUntil = new Date(at.getTime() + (deps.leaseSeconds ?? defaultLeaseSeconds) * 1000);
  /** Claims what an outbox can deliver now (after a replay's requeue), as a pure step. */
  const claimOutbox = (outbox: readonly OutboxEntry[]) => {
    const back = deps.requeue
      ? requeueFailed(outbox, deps.requeue)
      : { outbox: [...outbox], requeued: 0 };
    const result = claim(back.outbox, { runId, now: at, leaseUntil, channels });
    const changed = result.claims.length > 0 || result.dropped.length > 0 || back.requeued > 0;
    return { ...result, requeued: back.requeued, changed };
  };
  const none = { claims: [] as Claim[], requeued: 0, dropped: [] as DroppedDelivery[] };
  let requeued = 0;

  const states = await deps.store.getStates(checkIds, deps.signal);
  const waiting = [...states.values()].filter((s) => s.alert.outbox.length > 0);
  const checkClaims = await mapWithConcurrency(waiting, 16, async (preloaded) => {
    const claimed = await updateStateWithRetry(
      deps.store,
      preloaded.check,
      (current) => {
        if (!current) return { value: none };
        const result = claimOutbox(current.alert.outbox);
        if (!result.changed) return { value: none };
        return {
          next: { ...withoutVersion(current), alert: { ...current.alert, outbox: result.outbox } },
          value: result,
        };
      },
      { preloaded, preloadedKnown: true, ...signal },
    );
    requeued += claimed.requeued;
    logDropped(logger, claimed.dropped);
    return { owner: preloaded.check, claims: claimed.claims } as Owned;
  });

  // Grouped incidents of these suites: their outboxes are delivered the same way.
  const groups = (
    await Promise.all(
      (deps.suites ?? []).map(async (suite) =>
        (await deps.store.getIncidentGroups(suite, deps.signal)).map((g) => ({ suite, g })),
      ),
    )
  )
    .flat()
    .filter(({ g }) => g.outbox.length > 0);
  const groupClaims = await mapWithConcurrency(groups, 16, async ({ suite, g }) => {
    const claimed = await updateWithRetry(
      groupItem(deps.store, suite, g.key),
      (current) => {
        if (!current) return { value: none };
        const result = claimOutbox(current.outbox);
        if (!result.changed) return { value: none };
        const { version: _version, ...rest } = current;
        return { next: { ...rest, outbox: result.outbox }, value: result };
      },
      { preloaded: g, preloadedKnown: true, ...signal },
    );
    requeued += claimed.requeued;
    logDropped(logger, claimed.dropped);
    return {
      owner: `group:${g.key}`,
      group: { suite, key: g.key },
      claims: claimed.claims,
    } as Owned;
  });

  const down: DownChannels = new Set();
  const outcomes = await deliverRunClaims(
    [...checkClaims, ...groupClaims],
    deps.notifiers,
    down,
    logger,
    deps.signal,
  );
  const settledAt = now();
  const notices = await mapWithConcurrency([...checkClaims, ...groupClaims], 16, async (owned) => {
    const results = outcomes.get(owned.owner) ?? [];
    if (owned.group) {
      if (results.length > 0) {
        const dropped = await updateWithRetry(
          groupItem(deps.store, owned.group.suite, owned.group.key),
          (current) => {
            if (!current) return { value: [] as DroppedDelivery[] };
            const settled = settleGroup(current, runId, results, settledAt);
            return { next: settled.next, value: settled.dropped };
          },
          signal,
        );
        logDropped(logger, dropped);
      }
    } else {
      await settleDeliveries(deps.store, owned.owner, runId, results, {
        now: settledAt,
        logger,
        ...signal,
      });
    }
    const byId = new Map(results.map((o) => [o.id, o]));
    return owned.claims.map((c) =>
      noticeFor(c.entry.notification, byId.get(c.entry.notification.id), { retry: true }),
    );
  });
  return { notices: notices.flat(), requeued };
}

/** A refused delivery, as `status` and `replay` list it. */
export interface RefusedDelivery {
  readonly check: string;
  readonly event: AlertNotification['event'];
  readonly channel: string;
  readonly error: string;
  readonly at: string;
  readonly notification: string;
}

/** Every delivery refused for good in the outboxes of `checkIds` (and the groups of `suites`). */
export async function listRefused(
  store: ResultStore,
  checkIds: readonly string[],
  signal?: AbortSignal,
  suites: readonly (string | null)[] = [],
): Promise<RefusedDelivery[]> {
  const states = await store.getStates(checkIds, signal);
  const refusedIn = (owner: string, outbox: readonly OutboxEntry[]) =>
    outbox.flatMap((e) =>
      (e.failed ?? []).map((f) => ({
        check: owner,
        event: e.notification.event,
        channel: f.channel,
        error: f.error,
        at: f.at,
        notification: e.notification.id,
      })),
    );
  const groups = await groupsOf(store, suites, signal);
  return [
    ...[...states.values()].flatMap((s) => refusedIn(s.check, s.alert.outbox)),
    ...groups.flatMap(({ group }) => refusedIn(group.key, group.outbox)),
  ];
}

async function groupsOf(
  store: ResultStore,
  suites: readonly (string | null)[],
  signal?: AbortSignal,
): Promise<{ suite: string | null; group: StoredIncidentGroup }[]> {
  const found = await Promise.all(
    suites.map(async (suite) =>
      (await store.getIncidentGroups(suite, signal)).map((group) => ({ suite, group })),
    ),
  );
  return found.flat();
}

/**
 * Puts refused deliveries matching `filter` back to pending without delivering them (replay
 * against a deployed table: the runner's delivery pass sends them). Returns how many.
 */
export async function requeueRefused(
  store: ResultStore,
  checkIds: readonly string[],
  filter: (entry: OutboxEntry, channel: string) => boolean,
  signal?: AbortSignal,
  suites: readonly (string | null)[] = [],
): Promise<number> {
  const states = await store.getStates(checkIds, signal);
  const refused = (outbox: readonly OutboxEntry[]) =>
    outbox.some((e) => (e.failed ?? []).length > 0);
  let total = 0;
  for (const preloaded of states.values()) {
    if (!refused(preloaded.alert.outbox)) continue;
    total += await updateStateWithRetry(
      store,
      preloaded.check,
      (current) => {
        if (!current) return { value: 0 };
        const back = requeueFailed(current.alert.outbox, filter);
        if (back.requeued === 0) return { value: 0 };
        return {
          next: { ...withoutVersion(current), alert: { ...current.alert, outbox: back.outbox } },
          value: back.requeued,
        };
      },
      { preloaded, preloadedKnown: true, ...(signal ? { signal } : {}) },
    );
  }
  for (const { suite, group } of await groupsOf(store, suites, signal)) {
    if (!refused(group.outbox)) continue;
    total += await updateWithRetry(
      groupItem(store, suite, group.key),
      (current) => {
        if (!current) return { value: 0 };
        const back = requeueFailed(current.outbox, filter);
        if (back.requeued === 0) return { value: 0 };
        const { version: _version, ...rest } = current;
        return { next: { ...rest, outbox: back.outbox }, value: back.requeued };
      },
      { preloaded: group, preloadedKnown: true, ...(signal ? { signal } : {}) },
    );
  }
  return total;
}
