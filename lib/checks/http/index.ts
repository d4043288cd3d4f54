import { defineCheck } from '../plugin.ts';
import { httpFields, refineHttpConfig } from './config.ts';

export const httpCheck = defineCheck({
  type: 'http',
  description:
    'An HTTP(S) endpoint (or a short login-style flow) judged by status, response time, body text and JSON assertions; tcp:// checks a port accepts connections',
  fields: httpFields,
  refine: refineHttpConfig,
  load: () => import('./run.ts'),
});
