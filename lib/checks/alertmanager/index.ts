import { defineCheck } from '../plugin.ts';
import { alertmanagerFields } from './config.ts';

export const alertmanagerCheck = defineCheck({
  type: 'alertmanager',
  description:
    "What is firing in Alertmanager (API v2): alerts by severity, silenced and inhibited ones left out, and the dead-man's switch",
  fields: alertmanagerFields,
  load: () => import('./run.ts'),
  // Shard balancing weight: one API request.
  expectedSeconds: 0.5,
});
