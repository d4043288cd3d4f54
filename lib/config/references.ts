import { SecretResolutionError } from '../core/errors.ts';
import { parseSecretReference, pickSecretKey } from '../secrets/secret-field.ts';

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

/** An `${env:NAME}` the runner's environment lacks: fails only the check that uses it. */
export class UnsetEnvironmentVariableError extends Error {
  constructor(name: string) {
    super(`environment variable ${name} is not set where this check runs`);
    this.name = 'UnsetEnvironmentVariableError';
  }
}

export interface EnvProblem {
  readonly path: Path;
  readonly message: string;
}

/**
 * Replaces `${env:NAME}`; unset variables are reported with the field's path. With
 * `missing: 'keep'` an unset variable stays a reference instead (the runner: only the check that
 * uses it fails, when it runs; see `unresolvedEnvProblem`).
 */
export function resolveEnvReferences(
  value: unknown,
  env: Record<string, string | undefined>,
  options: { readonly missing?: 'error' | 'keep' } = {},
): { value: unknown; problems: EnvProblem[] } {
  const problems: EnvProblem[] = [];
  const resolved = mapStrings(value, [], (text, path) =>
    text.replace(referencePattern, (whole, kind: string, name: string) => {
      if (kind !== 'env') return whole;
      const found = env[name.trim()];
      if (found === undefined) {
        if (options.missing !== 'keep') {
          problems.push({ path, message: `environment variable ${name.trim()} is not set` });
        }
        return whole;
      }
      return found;
    }),
  );
  return { value: resolved, problems };
}

/** Every `${env:NAME}` in `value`, with the path of the field that uses it. */
export function envReferences(value: unknown): { name: string; path: Path }[] {
  const found: { name: string; path: Path }[] = [];
  mapStrings(value, [], (text, path) => {
    for (const match of text.matchAll(referencePattern)) {
      if (match[1] === 'env' && match[2]) found.push({ name: match[2].trim(), path });
    }
    return text;
  });
  return found;
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
  // An `${env:NAME}` still here was unset when the config loaded (kept so only this check fails).
  const unresolved = envReferences(value)[0];
  if (unresolved) {
    throw new UnsetEnvironmentVariableError(unresolved.name);
  }
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
 * Local secret lookup: `${secret:erp/pagerduty}` reads HEALTHCHECK_SECRET_ERP_PAGERDUTY, and
 * `${secret:rds!cluster-abc#password}` the key `password` of the JSON in
 * HEALTHCHECK_SECRET_RDS_CLUSTER_ABC, as Secrets Manager would. Lambda uses Secrets Manager.
 */
export class EnvSecretResolver implements SecretResolver {
  readonly #env: Record<string, string | undefined>;
  constructor(env: Record<string, string | undefined> = process.env) {
    this.#env = env;
  }

  static variableFor(id: string): string {
    return `HEALTHCHECK_SECRET_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  }

  async resolve(reference: string): Promise<string> {
    const { id, key } = parseSecretReference(reference);
    const name = EnvSecretResolver.variableFor(id);
    const value = this.#env[name];
    if (value === undefined) {
      throw new SecretResolutionError(
        reference,
        key === undefined
          ? `set ${name} for local runs`
          : `set ${name} to the secret's JSON for local runs (key "${key}" is read from it)`,
      );
    }
    return key === undefined ? value : pickSecretKey(reference, value, key);
  }
}
