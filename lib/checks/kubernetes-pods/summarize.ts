import type { CheckOutcome } from '../../core/result.ts';
import { compareStatus } from '../../core/status.ts';
import { formatDuration } from '../../shared/format-duration.ts';
import type { PodFinding } from './evaluate-pod.ts';
import { reasonHint, reasonOrder } from './reasons.ts';
import { describeWorkload, type WorkloadFinding } from './workloads.ts';

/** Counts gathered page by page, so only flagged pods are kept in memory. */
export interface PodTally {
  podsChecked: number;
  pages: number;
  readonly phases: Record<string, number>;
  readonly findings: PodFinding[];
}

export function newTally(): PodTally {
  return { podsChecked: 0, pages: 0, phases: {}, findings: [] };
}

export interface SummaryContext {
  /** Where the pods came from: `namespace secureconnect-prod`, `all namespaces`. */
  readonly scope: string;
  readonly labelSelector?: string;
  readonly listLimit: number;
  readonly workloads?: readonly WorkloadFinding[];
  readonly workloadsChecked?: number;
  readonly extra?: Record<string, unknown>;
}

/** kubectl-style age from seconds: 45s, 12m, 3h20m, 5d3h. */
const age = (seconds: number): string => formatDuration(seconds * 1000, 'compact');

function worstFirst(a: PodFinding, b: PodFinding): number {
  return (
    compareStatus(b.status, a.status) ||
    reasonOrder(a.reasons[0] ?? '') - reasonOrder(b.reasons[0] ?? '') ||
    b.restarts - a.restarts ||
    a.namespace.localeCompare(b.namespace) ||
    a.pod.localeCompare(b.pod)
  );
}

/** `chat-service-7d9f (CrashLoopBackOff, 12 restarts, last OOMKilled)` */
export function describePod(f: PodFinding): string {
  const parts: string[] = [];
  for (const reason of f.reasons) {
    if (reason === 'Restarts' || reason === 'OOMKilled') continue;
    const forText = f.forSeconds !== undefined ? ` ${age(f.forSeconds)}` : '';
    parts.push(
      reason === 'Pending' || reason === 'Terminating'
        ? `${reason}${forText}`
        : reason === 'NotReady'
          ? `not ready${forText}`
          : reason,
    );
  }
  if (f.restarts > 0) parts.push(`${f.restarts} restart${f.restarts === 1 ? '' : 's'}`);
  if (f.lastOOMKilled)
    parts.push(
      f.reasons.includes('OOMKilled') && parts.length === 0 ? 'OOMKilled' : 'last OOMKilled',
    );
  return `${f.pod} (${parts.join(', ')})`;
}

function podDetail(f: PodFinding) {
  const names = {
    name: f.pod,
    namespace: f.namespace,
    ...(f.node ? { node: f.node } : {}),
    ...(f.container ? { container: f.container } : {}),
  };
  return {
    namespace: f.namespace,
    pod: f.pod,
    status: f.status,
    reasons: f.reasons,
    restarts: f.restarts,
    age: age(f.ageSeconds),
    ...(f.forSeconds !== undefined ? { for: age(f.forSeconds) } : {}),
    ...(f.container ? { container: f.container } : {}),
    ...(f.node ? { node: f.node } : {}),
    ...(f.lastOOMKilled ? { lastOOMKilled: true } : {}),
    ...(f.message ? { message: f.message } : {}),
    hints: f.reasons.map((r) => reasonHint(r, names)),
  };
}

const summaryNames = 3;

/** One bounded outcome: counts by reason plus the worst `listLimit` pods, however many fail. */
export function summarizePods(tally: PodTally, context: SummaryContext): CheckOutcome {
  const findings = [...tally.findings].sort(worstFirst);
  const workloads = [...(context.workloads ?? [])].sort(
    (a, b) => compareStatus(b.status, a.status) || a.name.localeCompare(b.name),
  );
  const byReason: Record<string, number> = {};
  for (const f of findings) for (const r of f.reasons) byReason[r] = (byReason[r] ?? 0) + 1;
  const statuses = [...findings.map((f) => f.status), ...workloads.map((w) => w.status)];
  const status = statuses.includes('critical')
    ? 'critical'
    : statuses.includes('warning')
      ? 'warning'
      : 'ok';
  const where = `${context.scope}${context.labelSelector ? ` (${context.labelSelector})` : ''}`;
  const completed = tally.phases['Succeeded'] ?? 0;

  const parts: string[] = [];
  if (findings.length > 0) {
    const named = findings.slice(0, summaryNames).map(describePod).join(', ');
    const more =
      findings.length > summaryNames ? `, and ${findings.length - summaryNames} more` : '';
    parts.push(
      `${findings.length} of ${tally.podsChecked} pods failing in ${where}: ${named}${more}`,
    );
  }
  if (workloads.length > 0) {
    const named = workloads.slice(0, summaryNames).map(describeWorkload).join(', ');
    const more =
      workloads.length > summaryNames ? `, and ${workloads.length - summaryNames} more` : '';
    parts.push(`${workloads.length} workloads below desired: ${named}${more}`);
  }
  let summary: string;
  if (tally.podsChecked === 0 && parts.length === 0) {
    return {
      status: 'unknown',
      summary: `no pods found in ${where}; check namespace and labelSelector`,
      details: { ...context.extra, podsChecked: 0, pages: tally.pages },
    };
  }
  if (parts.length > 0) summary = parts.join('; ');
  else {
    const running = tally.podsChecked - completed;
    const workloadText =
      context.workloadsChecked !== undefined
        ? `, ${context.workloadsChecked} workloads at desired replicas`
        : '';
    summary = `${running} pods healthy in ${where}${completed ? `, ${completed} completed` : ''}${workloadText}`;
  }
  return {
    status,
    summary,
    details: {
      ...context.extra,
      podsChecked: tally.podsChecked,
      pages: tally.pages,
      phases: tally.phases,
      failingPods: findings.length,
      byReason,
      pods: findings.slice(0, context.listLimit).map(podDetail),
      ...(findings.length > context.listLimit
        ? { podsOmitted: findings.length - context.listLimit }
        : {}),
      ...(context.workloadsChecked !== undefined
        ? {
            workloadsChecked: context.workloadsChecked,
            workloadsBelowDesired: workloads.slice(0, context.listLimit),
          }
        : {}),
    },
  };
}
