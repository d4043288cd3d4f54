import type { Severity } from '../config/fields.ts';
import { mapWithConcurrency } from '../core/semaphore.ts';
import type { Decision } from './decide.ts';
import type { PlannedGroup } from './grouping.ts';
import {
  decideGroup,
  groupItem,
  type JoiningMember,
  type StoredIncidentGroup,
} from './incident-group.ts';
import type { AlertNotification } from './notification.ts';
import type { Claim, DroppedDelivery } from './outbox.ts';
import type { ResultStore } from './result-store.ts';
import { updateWithRetry } from './update-state.ts';

/** A check's decision in this run, as far as its group is concerned. */
export interface GroupedDecision {
  readonly check: { readonly id: string; readonly severity: Severity };
  readonly decision: Exclude<Decision, { duplicate: true }>;
}

export interface AppliedGroup {
  readonly key: string;
  readonly notification?: AlertNotification;
  readonly claims: readonly Claim[];
  readonly dropped: readonly DroppedDelivery[];
  /** Members the notification is about (for the run report). */
  readonly members: number;
}

/**
 * This run's changes to grouped incidents: groups planned this run open with the checks whose
 * trigger actually went to them; open groups gain quiet joiners and lose members that resolved
 * (resolving with the last one); and every group with deliveries waiting claims them.
 */
export async function applyGroups(
  applied: readonly GroupedDecision[],
  planned: readonly PlannedGroup[],
  open: readonly StoredIncidentGroup[],
  suite: string | null,
  store: ResultStore,
  options: Parameters<typeof decideGroup>[2] & { signal?: AbortSignal },
): Promise<AppliedGroup[]> {
  const joining = new Map<string, JoiningMember[]>();
  const leaving = new Map<string, string[]>();
  const leave = (key: string, check: string) =>
    leaving.set(key, [...(leaving.get(key) ?? []), check]);
  const severityOf = new Map<string, Severity>();
  for (const { check, decision } of applied) {
    const g = decision.grouped;
    if (g?.left) {
      leave(g.key, check.id);
      const known = severityOf.get(g.key);
      if (!known || check.severity < known) severityOf.set(g.key, check.severity);
    }
    if (g?.joined) {
      joining.set(g.key, [...(joining.get(g.key) ?? []), { notification: g.joined }]);
    }
  }
  // Self-healing: a member whose STATE (as this run wrote it) no longer points at the group left
  // it, even if the run that resolved it stopped before telling the group.
  const written = new Map(applied.map((a) => [a.check.id, a.decision.next.alert.group]));
  for (const group of open) {
    for (const member of group.members) {
      if (!written.has(member) || written.get(member) === group.key) continue;
      if (!leaving.get(group.key)?.includes(member)) leave(group.key, member);
    }
  }
  const plannedByKey = new Map(planned.map((p) => [p.key, p]));
  const keys = new Set([
    ...plannedByKey.keys(),
    ...joining.keys(),
    ...leaving.keys(),
    ...open.map((g) => g.key),
  ]);
  const openByKey = new Map(open.map((g) => [g.key, g]));
  const decided = await mapWithConcurrency([...keys], 16, async (key) => {
    const planned = plannedByKey.get(key);
    const severity = severityOf.get(key);
    const change = {
      ...(planned ? { planned } : {}),
      joining: joining.get(key) ?? [],
      leaving: leaving.get(key) ?? [],
      ...(severity ? { orphan: { key, suite, severity } } : {}),
    };
    const preloaded = openByKey.get(key);
    const decision = await updateWithRetry(
      groupItem(store, suite, key),
      (current) => {
        const d = decideGroup(current, change, options);
        return d.next ? { next: d.next, value: d } : { value: d };
      },
      {
        preloaded,
        preloadedKnown: true,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    return {
      key,
      ...(decision.notification ? { notification: decision.notification } : {}),
      claims: decision.claims,
      dropped: decision.dropped,
      members: decision.next?.total ?? preloaded?.total ?? 0,
    } satisfies AppliedGroup;
  });
  return decided.filter((g) => g.notification || g.claims.length > 0);
}
