import type { Status } from '../../core/status.ts';

/** Waiting reasons that mean the container will not start without someone fixing something. */
const criticalWaiting = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreStartHookError',
  'PostStartHookError',
]);

/** Waiting reasons every healthy pod passes through; the Pending/NotReady timers cover them. */
export const transientWaiting = new Set(['ContainerCreating', 'PodInitializing']);

/** Status of one reason; see the README table. */
export function reasonStatus(
  reason: string,
  ownerKind?: string,
): Exclude<Status, 'ok' | 'unknown'> {
  if (criticalWaiting.has(reason) || reason.endsWith('Error')) return 'critical';
  switch (reason) {
    case 'Failed':
      // A failed Job pod is one attempt of a Job that may retry or already have succeeded.
      return ownerKind === 'Job' ? 'warning' : 'critical';
    case 'Unknown':
    case 'Pending':
      return 'critical';
    default:
      return 'warning';
  }
}

/** Order of reasons within a pod and between pods of equal status: most telling first. */
const reasonRank = [
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'Failed',
  'Unknown',
  'Pending',
  'OOMKilled',
  'NotReady',
  'Evicted',
  'Terminating',
  'Restarts',
];

export function reasonOrder(reason: string): number {
  const i = reasonRank.indexOf(reason);
  return i === -1 ? (reasonStatus(reason) === 'critical' ? 4.5 : 8.5) : i;
}

/** The runbook step for a reason, with the pod's names filled in. */
export function reasonHint(
  reason: string,
  pod: { name: string; namespace: string; node?: string; container?: string },
): string {
  const ns = `-n ${pod.namespace}`;
  switch (reason) {
    case 'CrashLoopBackOff':
      return `kubectl logs ${pod.name} ${ns} --previous${pod.container ? ` -c ${pod.container}` : ''} (why the last run exited)`;
    case 'OOMKilled':
      return `raise resources.limits.memory${pod.container ? ` of container ${pod.container}` : ''} or fix the leak; kubectl top pod ${pod.name} ${ns}`;
    case 'ImagePullBackOff':
    case 'ErrImagePull':
    case 'InvalidImageName':
    case 'ErrImageNeverPull':
      return `check the image tag exists and imagePullSecrets grant access: kubectl describe pod ${pod.name} ${ns}`;
    case 'CreateContainerConfigError':
      return `a referenced ConfigMap/Secret (or key) is missing: kubectl describe pod ${pod.name} ${ns}`;
    case 'Pending':
      return `not scheduled or not started: kubectl describe pod ${pod.name} ${ns} (Events: insufficient cpu/memory, taints, unbound PVC)`;
    case 'NotReady':
      return `readiness probe failing: kubectl describe pod ${pod.name} ${ns}; kubectl logs ${pod.name} ${ns}`;
    case 'Restarts':
      return `kubectl logs ${pod.name} ${ns} --previous; check liveness probe and memory limit`;
    case 'Evicted':
      return `node pressure evicted it: kubectl describe node ${pod.node ?? '<node>'}; delete the evicted pod once understood`;
    case 'Unknown':
      return `the node stopped reporting: kubectl get node ${pod.node ?? '<node>'}`;
    case 'Terminating':
      return `stuck deleting (finalizers or a lost node): kubectl get pod ${pod.name} ${ns} -o jsonpath='{.metadata.finalizers}'`;
    case 'Failed':
      return `kubectl describe pod ${pod.name} ${ns}; kubectl logs ${pod.name} ${ns}`;
    default:
      return `kubectl describe pod ${pod.name} ${ns} (container waiting: ${reason})`;
  }
}
