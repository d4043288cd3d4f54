import { type ContainerStatusShape, type PodShape, toMillis } from './pod-shape.ts';
import { reasonOrder, reasonStatus, transientWaiting } from './reasons.ts';

export interface PodRules {
  readonly nowMs: number;
  readonly maxRestarts: number;
  readonly pendingMs: number;
  readonly notReadyMs: number;
  readonly terminatingMs: number;
  /** OOMKilled terminations that finished at or after this instant are flagged. */
  readonly oomSinceMs: number;
}

export interface PodFinding {
  readonly namespace: string;
  readonly pod: string;
  readonly status: 'critical' | 'warning';
  /** Worst first. */
  readonly reasons: readonly string[];
  readonly restarts: number;
  readonly ageSeconds: number;
  /** How long the pod has been in its worst state, when known (Pending, NotReady, Terminating). */
  readonly forSeconds?: number;
  readonly node?: string;
  /** The first container behind a container-level reason. */
  readonly container?: string;
  readonly lastOOMKilled: boolean;
  readonly ownerKind?: string;
  readonly message?: string;
}

function seconds(ms: number): number {
  return Math.max(0, Math.round(ms / 1000));
}

/**
 * Judges one pod; undefined when it is fine. Pure: same pod and rules, same answer.
 * Completed pods (phase Succeeded, e.g. finished Jobs) are never flagged.
 */
export function evaluatePod(pod: PodShape, rules: PodRules): PodFinding | undefined {
  const status = pod.status ?? {};
  const phase = status.phase ?? 'Unknown';
  if (phase === 'Succeeded') return undefined;
  const meta = pod.metadata ?? {};
  const createdMs = toMillis(meta.creationTimestamp) ?? rules.nowMs;
  const ownerKind = meta.ownerReferences?.[0]?.kind;
  const containers: readonly ContainerStatusShape[] = [
    ...(status.initContainerStatuses ?? []),
    ...(status.containerStatuses ?? []),
  ];
  const restarts = (status.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const lastOOMKilled = containers.some(
    (c) =>
      c.lastState?.terminated?.reason === 'OOMKilled' ||
      c.state?.terminated?.reason === 'OOMKilled',
  );
  const reasons = new Set<string>();
  let container: string | undefined;
  let forMs: number | undefined;

  const deletionMs = toMillis(meta.deletionTimestamp);
  if (deletionMs !== undefined) {
    // A pod being deleted is expected to be unready; only being stuck matters.
    if (rules.nowMs - deletionMs > rules.terminatingMs) {
      reasons.add('Terminating');
      forMs = rules.nowMs - deletionMs;
    }
  } else {
    if (phase === 'Failed') reasons.add(status.reason === 'Evicted' ? 'Evicted' : 'Failed');
    if (phase === 'Unknown') reasons.add('Unknown');
    for (const c of containers) {
      const waiting = c.state?.waiting?.reason;
      if (waiting && !transientWaiting.has(waiting)) {
        reasons.add(waiting);
        container ??= c.name;
      }
      for (const state of [c.state, c.lastState]) {
        const t = state?.terminated;
        if (t?.reason === 'OOMKilled' && (toMillis(t.finishedAt) ?? 0) >= rules.oomSinceMs) {
          reasons.add('OOMKilled');
          container ??= c.name;
        }
      }
    }
    if (phase === 'Pending' && rules.nowMs - createdMs > rules.pendingMs) {
      reasons.add('Pending');
      forMs = rules.nowMs - createdMs;
    }
    if (phase === 'Running' && reasons.size === 0) {
      const unready = (status.containerStatuses ?? []).find(
        (c) => c.ready === false && !c.state?.terminated,
      );
      if (unready) {
        const readyCondition = status.conditions?.find((c) => c.type === 'Ready');
        const sinceMs =
          toMillis(readyCondition?.lastTransitionTime) ?? toMillis(status.startTime) ?? createdMs;
        if (rules.nowMs - sinceMs > rules.notReadyMs) {
          reasons.add('NotReady');
          container = unready.name;
          forMs = rules.nowMs - sinceMs;
        }
      }
    }
    if (restarts > rules.maxRestarts) reasons.add('Restarts');
  }
  if (reasons.size === 0) return undefined;
  const ordered = [...reasons].sort((a, b) => reasonOrder(a) - reasonOrder(b));
  const worst = ordered.some((r) => reasonStatus(r, ownerKind) === 'critical')
    ? 'critical'
    : 'warning';
  const message =
    status.message ?? containers.find((c) => c.state?.waiting?.message)?.state?.waiting?.message;
  return {
    namespace: meta.namespace ?? '',
    pod: meta.name ?? '(unnamed)',
    status: worst,
    reasons: ordered,
    restarts,
    ageSeconds: seconds(rules.nowMs - createdMs),
    ...(forMs !== undefined ? { forSeconds: seconds(forMs) } : {}),
    ...(pod.spec?.nodeName ? { node: pod.spec.nodeName } : {}),
    ...(container ? { container } : {}),
    lastOOMKilled,
    ...(ownerKind ? { ownerKind } : {}),
    ...(message ? { message: message.slice(0, 300) } : {}),
  };
}
