import * as z from 'zod';
import { httpAuthField, httpClientFields, httpHeadersField } from '../http/index.ts';

/**
 * Config fields for reaching a Prometheus-compatible API: the HTTP client's `auth` (plus SigV4
 * for Amazon Managed Prometheus), `headers`, `ca` and `insecure`.
 */
export const prometheusClientFields = {
  ...httpClientFields,
  auth: z
    .union([
      ...httpAuthField.unwrap().options,
      z.strictObject({
        awsSigV4: z.strictObject({
          region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, {
            message: 'an AWS region such as ap-southeast-1',
          }),
          service: z.string().min(1).default('aps').describe('Signing service (default aps)'),
        }),
      }),
    ])
    .optional()
    .describe(
      '{basic: {username, password}}, {bearer: TOKEN}, or {awsSigV4: {region}} for Amazon Managed Prometheus (signed with the default AWS credential chain)',
    ),
  headers: httpHeadersField.describe(
    'Extra request headers, e.g. X-Scope-OrgID for a Mimir tenant; values may be ${secret:ID}',
  ),
};
