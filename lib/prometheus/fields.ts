import { z } from 'zod';

/** Config fields for reaching a Prometheus-compatible API, shared by the checks that query one. */
export const prometheusAuthField = z
  .union([
    z.strictObject({
      basic: z.strictObject({
        username: z.string(),
        password: z.string().describe('Use ${secret:ID}'),
      }),
    }),
    z.strictObject({ bearer: z.string().min(1).describe('Token; use ${secret:ID}') }),
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
    '{basic: {username, password}}, {bearer: TOKEN}, or {awsSigV4: {region}} for Amazon Managed Prometheus (the default AWS credential chain signs)',
  );

export const prometheusHeadersField = z
  .record(
    z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { message: 'not a valid header name' }),
    z.string(),
  )
  .optional()
  .describe(
    'Extra request headers, e.g. X-Scope-OrgID for a Mimir tenant; values may be ${secret:ID}',
  );

/** `url` must be an http(s) base URL; the message never repeats it (it may carry a password). */
export function prometheusUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid URL (expected http://host:9090 or https://...)';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return 'must start with http:// or https://';
  }
  return undefined;
}
