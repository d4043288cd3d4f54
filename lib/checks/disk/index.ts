import { eksGrantTarget } from '../../kubernetes/cluster-access.ts';
import { defineCheck } from '../plugin.ts';
import { diskFields, refineDiskConfig } from './config.ts';

export const diskCheck = defineCheck({
  type: 'disk',
  description: 'Filesystem usage (% used, inodes) against warning/critical thresholds',
  fields: diskFields,
  refine: refineDiskConfig,
  load: () => import('./run.ts'),
  // Shard balancing weight: local statfs calls.
  expectedSeconds: 0.1,
  packages: { '@kubernetes/client-node': (config) => config.source === 'kubelet' },
  grants: (config) =>
    config.source === 'kubelet' && config.eks
      ? [{ kind: 'eks', ...eksGrantTarget(config.eks), nodes: true }]
      : [],
});
