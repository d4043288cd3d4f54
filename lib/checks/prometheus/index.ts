import { defineCheck } from '../plugin.ts';
import { prometheusFields, refinePrometheusConfig } from './config.ts';
import { prometheusGrants } from './grants.ts';

export const prometheusCheck = defineCheck({
  type: 'prometheus',
  description:
    'A PromQL instant query judged series by series against warning/critical thresholds, with recover hysteresis',
  fields: prometheusFields,
  refine: refinePrometheusConfig,
  load: () => import('./run.ts'),
  // Shard balancing weight: one query.
  expectedSeconds: 0.5,
  grants: prometheusGrants,
  // No heavy package of its own: fetch is built in, and SigV4 signing uses the AWS SDK pieces the
  // runner bundles anyway (its store and notifier clients).
});
