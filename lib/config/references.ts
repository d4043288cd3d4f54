import { SecretResolutionError } from '../core/errors.ts';

/**
 * `${env:NAME}` and `${secret:ID}` references inside config strings. Env references resolve when
 * the config loads; secret references stay in the config and resolve right before a check runs,
 * so secret values never reach a synthesized template, a log or a stored result.
 */
const referencePattern = /\$\{(env|secret):([^}]+)\}/g;

export interface SecretResolver {
  resolve(id: string, signal?: AbortSignal): Promise<string>;
}

type Path = (string | number)[];

function mapStrings(value: unknown, path: Path, fn: (text: string, path: Path) => string): unknown {
  if (typeof value === 'string') return fn(value, path);
  if (Array.isArray(value)) return value.map((item, i) => mapStrings(item, [...path, i], fn));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, mapStrings(item, [...path, key], fn)]),
    );
  }
  return value;
}

export interface EnvProblem {
  readonly path: Path;
  readonly message: string;
}

/** Replaces `${env:NAME}`; unset variables are reported with the field's path. */
export function resolveEnvReferences(
  value: unknown,
  env: Record<string, string | undefined>,
): { value: unknown; problems: EnvProblem[] } {
  const problems: EnvProblem[] = [];
  const resolved = mapStrings(value, [], (text, path) =>
    text.replace(referencePattern, (whole, kind: string, name: string) => {
      if (kind !== 'env') return whole;
      const found = env[name.trim()];
      if (found === undefined) {
        problems.push({ path, message: `environment variable ${name.trim()} is not set` });
        return whole;
      }
      return found;
    }),
  );
  return { value: resolved, problems };
}

export function secretIds(value: unknown): string[] {
  const ids = new Set<string>();
  mapStrings(value, [], (text) => {
    for (const match of text.matchAll(referencePattern)) {
      if (match[1] === 'secret' && match[2]) ids.add(match[2].trim());
    }
    return text;
  });
  return [...ids];
}

/**
 * Resolves every `${secret:ID}` in `value`. Returns the resolved copy and the secret values, so
 * callers can scrub them from anything they print or store.
 */
export async function resolveSecretReferences<T>(
  value: T,
  resolver: SecretResolver,
  signal?: AbortSignal,
): Promise<{ value: T; secrets: string[] }> {
  const ids = secretIds(value);
  if (ids.length === 0) return { value, secrets: [] };
  const entries = await Promise.all(
    ids.map(async (id) => {
      try {
        return [id, await resolver.resolve(id, signal)] as const;
      } catch (error) {
        if (error instanceof SecretResolutionError) throw error;
        throw new SecretResolutionError(id, (error as Error).message);
      }
    }),
  );
  const byId = new Map(entries);
  const resolved = mapStrings(value, [], (text) =>
    text.replace(referencePattern, (whole, kind: string, id: string) =>
      kind === 'secret' ? (byId.get(id.trim()) ?? whole) : whole,
    ),
  ) as T;
  return { value: resolved, secrets: entries.map(([, secret]) => secret) };
}

/**
 * Local secret lookup: `${secret:erp/pagerduty}` reads HEALTHCHECK_SECRET_ERP_PAGERDUTY.
 * Lambda uses Secrets Manager instead.
 */
export class EnvSecretResolver implements SecretResolver {
  readonly #env: Record<string, string | undefined>;
  constructor(env: Record<string, string | undefined> = process.env) {
    this.#env = env;
  }

  static variableFor(id: string): string {
    return `HEALTHCHECK_SECRET_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  }

  async resolve(id: string): Promise<string> {
    const name = EnvSecretResolver.variableFor(id);
    const value = this.#env[name];
    if (value === undefined) throw new SecretResolutionError(id, `set ${name} for local runs`);
    return value;
  }
}
