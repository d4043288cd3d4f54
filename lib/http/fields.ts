import * as z from 'zod';

/**
 * Config fields every HTTP-based check shares (http, alertmanager, prometheus), so `auth`,
 * `headers`, `ca` and `insecure` mean the same everywhere. Spread them into a plugin's fields.
 */
export const httpAuthField = z
  .union([
    z.strictObject({
      basic: z.strictObject({
        username: z.string(),
        password: z.string().describe('Use ${secret:ID}'),
      }),
    }),
    z.strictObject({ bearer: z.string().min(1).describe('Token; use ${secret:ID}') }),
  ])
  .optional()
  .describe('{basic: {username, password}} or {bearer: TOKEN}');

export const httpHeadersField = z
  .record(
    z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { message: 'not a valid header name' }),
    z.string(),
  )
  .optional()
  .describe('Extra request headers; values may be ${secret:ID}');

export const httpClientFields = {
  auth: httpAuthField,
  headers: httpHeadersField,
  ca: z
    .string()
    .min(1)
    .optional()
    .describe('PEM text or path of a PEM file with CAs to trust besides the system store'),
  insecure: z
    .boolean()
    .default(false)
    .describe('Skip TLS certificate verification (self-signed, expired, wrong name)'),
};

/** The part of an HTTP check's config that `httpRequest` takes as is. */
export interface HttpClientConfig {
  readonly auth?: z.output<typeof httpAuthField>;
  readonly headers?: z.output<typeof httpHeadersField>;
  readonly ca?: string;
  readonly insecure: boolean;
}

/** `http://, https:// or tcp://` */
function oneOf(schemes: readonly string[]): string {
  const names = schemes.map((s) => `${s}://`);
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** `url` must be http(s); unresolved `${secret:}` parts are accepted as they are (checked once resolved). */
export function httpUrlProblem(
  url: string,
  schemes: readonly string[] = ['http', 'https'],
): string | undefined {
  if (url.includes('${secret:')) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `not a valid URL (expected ${oneOf(schemes)}, e.g. ${schemes[0]}://host:port/path)`;
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (!schemes.includes(scheme)) return `must start with ${oneOf(schemes)}`;
  return undefined;
}
