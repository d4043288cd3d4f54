import * as z from 'zod';
import { clusterAccessFields, refineClusterAccess } from '../../kubernetes/cluster-access.ts';
import type { CheckConfigFor } from '../plugin.ts';

const minutes = (fallback: number, what: string) =>
  z.number().positive().max(10_080).default(fallback).describe(what);

export const kubernetesPodsFields = {
  ...clusterAccessFields,
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'expected a Kubernetes namespace name' })
    .optional()
    .describe('Namespace to check (default: all namespaces)'),
  labelSelector: z
    .string()
    .min(1)
    .optional()
    .describe('Only pods (and workloads) matching this label selector, e.g. app=chat-service'),
  maxRestarts: z
    .int()
    .min(0)
    .default(5)
    .describe('Warn when a pod has restarted more often than this'),
  pendingMinutes: minutes(10, 'Critical when a pod stays Pending longer than this'),
  notReadyMinutes: minutes(10, 'Warn when a Running pod has unready containers for longer'),
  terminatingMinutes: minutes(15, 'Warn when a pod is still terminating this long after deletion'),
  oomWindowMinutes: minutes(
    60,
    'Warn on OOMKilled terminations within this window (or since the previous run, if earlier)',
  ),
  workloads: z
    .boolean()
    .default(false)
    .describe('Also check Deployments/StatefulSets/DaemonSets: available replicas below desired'),
  // 250, not kubectl's 500: at 10,000 pods a page of 500 costs about 15 MB more peak memory
  // (bench/kubernetes-pods-scale.ts) for a few more round trips.
  pageSize: z.int().min(1).max(5000).default(250).describe('Pods per API page (limit)'),
  listLimit: z.int().min(1).max(100).default(10).describe('Flagged pods listed in details'),
};

export type KubernetesPodsConfig = CheckConfigFor<typeof kubernetesPodsFields>;

export function refineKubernetesPodsConfig(
  config: z.output<z.ZodObject<typeof kubernetesPodsFields>>,
  ctx: z.RefinementCtx,
): void {
  refineClusterAccess(config, ctx);
}
