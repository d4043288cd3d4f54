import { defineCheck } from '../plugin.ts';
import { httpFields, refineHttpConfig, usesJsonPath } from './config.ts';

export const httpCheck = defineCheck({
  type: 'http',
  description:
    'An HTTP(S) endpoint (or a short login-style flow) judged by status, response time, body text and JSON assertions; tcp:// checks a port accepts connections',
  fields: httpFields,
  refine: refineHttpConfig,
  load: () => import('./run.ts'),
  // Shard balancing weight: one request (a short flow takes more).
  expectedSeconds: 0.5,
  // About 28 KB of the Lambda bundle, needed only for JSON assertions, describe and capture.
  packages: { 'jsonpath-plus': usesJsonPath },
});
