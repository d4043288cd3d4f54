import { findCheckPlugin } from '../checks/registry.ts';
import { redactText } from '../core/sanitize.ts';
import { formatPath, problemsFromIssues } from './format-issues.ts';
import { resolveSecretReferences, type SecretResolver } from './references.ts';
import {
  type FieldPath,
  isUnder,
  secretFieldPaths,
  valueAt,
  wholeSecretReference,
} from './secret-fields.ts';

/** A check whose resolved secret-valued fields do not pass its schema; only that check fails. */
export class SecretFieldValueError extends Error {
  constructor(problems: readonly string[]) {
    super(`invalid value after resolving secrets: ${problems.join('; ')}`);
    this.name = 'SecretFieldValueError';
  }
}

/** A secret holds text; a number, boolean or JSON field written as a whole secret is parsed. */
function coerce(text: unknown, expected: string): unknown {
  if (typeof text !== 'string') return text;
  const trimmed = text.trim();
  if ((expected === 'number' || expected === 'int') && trimmed !== '') {
    const number = Number(trimmed);
    return Number.isFinite(number) ? number : text;
  }
  if (expected === 'boolean' && (trimmed === 'true' || trimmed === 'false')) {
    return trimmed === 'true';
  }
  if (expected === 'object' || expected === 'array') {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text;
    }
  }
  return text;
}

function withValueAt<T>(value: T, path: FieldPath, replacement: unknown): T {
  if (path.length === 0) return replacement as T;
  const [key, ...rest] = path;
  const node = value as Record<PropertyKey, unknown>;
  const copy = (Array.isArray(node) ? [...node] : { ...node }) as Record<PropertyKey, unknown>;
  copy[key as PropertyKey] = withValueAt(node[key as PropertyKey], rest, replacement);
  return copy as T;
}

/**
 * Resolves a check's `${secret:...}` references right before it runs and, when a field's whole
 * value was a secret, validates the resolved check against its plugin's schema (scheme, URL,
 * number, cross-field rules), as loading did for every other field. Throws (so only this check
 * is `unknown`) with the field path and the secret's name, never its value.
 */
export async function resolveCheckConfig<T extends { readonly type: string }>(
  check: T,
  resolver: SecretResolver,
  signal?: AbortSignal,
): Promise<{ value: T; secrets: string[] }> {
  const deferred = secretFieldPaths(check);
  const resolved = await resolveSecretReferences(check, resolver, signal);
  const plugin = findCheckPlugin(check.type);
  if (deferred.length === 0 || !plugin) return resolved;
  let candidate: T = resolved.value;
  let result = plugin.schema.safeParse(candidate, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = deferred.find((p) => isUnder(issue.path, p));
      if (!path || issue.code !== 'invalid_type') continue;
      candidate = withValueAt(candidate, path, coerce(valueAt(candidate, path), issue.expected));
    }
    if (candidate !== resolved.value)
      result = plugin.schema.safeParse(candidate, { reportInput: true });
  }
  if (!result.success) {
    const problems = problemsFromIssues(result.error.issues).map((problem) => {
      const path = deferred.find((p) => isUnder(problem.path, p));
      const reference = path ? wholeSecretReference(valueAt(check, path)) : undefined;
      const from = reference ? ` (from secret ${reference})` : '';
      return redactText(`${formatPath(problem.path)}${from}: ${problem.message}`, resolved.secrets);
    });
    throw new SecretFieldValueError(problems);
  }
  return { value: { ...candidate, ...(result.data as object) } as T, secrets: resolved.secrets };
}
