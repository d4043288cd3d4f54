import type { WorkloadKind } from '../../kubernetes/kube-client.ts';

export interface WorkloadFinding {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  readonly desired: number;
  readonly available: number;
  readonly status: 'critical' | 'warning';
}

interface WorkloadShape {
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec?: { readonly replicas?: number };
  readonly status?: {
    readonly availableReplicas?: number;
    readonly desiredNumberScheduled?: number;
    readonly numberAvailable?: number;
  };
}

/** Flags a Deployment/StatefulSet/DaemonSet with fewer available replicas than desired. */
export function evaluateWorkload(kind: WorkloadKind, object: unknown): WorkloadFinding | undefined {
  const w = object as WorkloadShape;
  const desired =
    kind === 'daemonsets' ? (w.status?.desiredNumberScheduled ?? 0) : (w.spec?.replicas ?? 1);
  const available =
    kind === 'daemonsets' ? (w.status?.numberAvailable ?? 0) : (w.status?.availableReplicas ?? 0);
  if (available >= desired) return undefined;
  return {
    kind,
    namespace: w.metadata?.namespace ?? '',
    name: w.metadata?.name ?? '(unnamed)',
    desired,
    available,
    // Nothing available means the service is down, not merely degraded.
    status: available === 0 ? 'critical' : 'warning',
  };
}

const singular: Record<WorkloadKind, string> = {
  deployments: 'deployment',
  statefulsets: 'statefulset',
  daemonsets: 'daemonset',
};

export function describeWorkload(f: WorkloadFinding): string {
  return `${singular[f.kind]}/${f.name} ${f.available}/${f.desired} available`;
}
