import { eksGrantTarget } from '../../kubernetes/cluster-access.ts';
import { defineCheck } from '../plugin.ts';
import { kubernetesPodsFields, refineKubernetesPodsConfig } from './config.ts';

export const kubernetesPodsCheck = defineCheck({
  type: 'kubernetes-pods',
  description:
    'Pods in CrashLoopBackOff, ImagePullBackOff, OOMKilled, Pending, not ready or restarting; optionally workloads below desired replicas',
  fields: kubernetesPodsFields,
  refine: refineKubernetesPodsConfig,
  load: () => import('./run.ts'),
  // Shard balancing weight: lists pods, sometimes across namespaces.
  expectedSeconds: 2,
  packages: { '@kubernetes/client-node': () => true },
  grants: (config) =>
    config.eks
      ? [
          {
            kind: 'eks',
            ...eksGrantTarget(config.eks),
            ...(config.namespace ? { namespace: config.namespace } : {}),
            nodes: false,
          },
        ]
      : [],
});
