import * as z from 'zod';

/** Database engines the checks connect to; `postgres` covers CockroachDB, `mysql` MariaDB. */
export type DbEngine = 'postgres' | 'mysql' | 'redis';

/** URL schemes each engine accepts. */
export const engineSchemes: Record<DbEngine, readonly string[]> = {
  postgres: ['postgres', 'postgresql'],
  mysql: ['mysql', 'mariadb'],
  redis: ['redis', 'rediss'],
};

/** The `url` field of a database check; credentials belong in `${secret:}` references. */
export function connectionUrlField(example: string) {
  return z.string().min(1).describe(`${example}; credentials never reach results, logs or state`);
}

/** The `tls` field shared by the database checks. */
export const tlsField = z
  .union([
    z.boolean(),
    z.strictObject({
      ca: z
        .string()
        .min(1)
        .optional()
        .describe('PEM text, or a path to a PEM file, trusted besides the system store'),
      rejectUnauthorized: z.boolean().default(true),
      servername: z.string().min(1).optional().describe('SNI and name to verify (default host)'),
    }),
  ])
  .optional()
  .describe('TLS to the server; also enabled by rediss:// or postgres sslmode=require/verify-*');

export type TlsField = z.output<typeof tlsField>;

/** Why `url`'s scheme does not fit `engine`, or undefined when it does. Never repeats the URL. */
export function schemeProblem(engine: DbEngine, url: string): string | undefined {
  const schemes = engineSchemes[engine];
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme && schemes.includes(scheme)) return undefined;
  return `must start with ${schemes.map((s) => `${s}://`).join(' or ')} for engine ${engine}`;
}

/**
 * Reports a `url` whose scheme does not fit the engine. Checks the prefix only, so it also runs
 * on a value resolved from a secret; the message never repeats the URL (it may hold a password).
 */
export function refineEngineUrl(
  ctx: z.RefinementCtx,
  engine: DbEngine,
  url: string,
  path: readonly (string | number)[] = ['url'],
): void {
  const problem = schemeProblem(engine, url);
  if (problem) ctx.addIssue({ code: 'custom', path: [...path], message: problem });
}
