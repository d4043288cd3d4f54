import * as z from 'zod';
import { findCheckPlugin } from '../checks/registry.ts';
import { commonCheckShape } from './check-common.ts';
import type { IssuePath } from './format-issues.ts';

/**
 * A check field whose whole value is `${secret:ID}` (or `${secret:ID#jsonKey}`) cannot be checked
 * against its schema until the secret resolves: `url: "${secret:erp/db-url}"` does not start with
 * `postgres://` yet. Such fields are "deferred": at load time their schema problems are set
 * aside (every other field is still validated), and right before the check runs the resolved
 * check is validated in full (lib/config/resolve-check.ts), so a bad value makes only that check
 * `unknown`. Fields every check has (id, type, severity, timeoutSeconds, ...) are needed before a
 * check runs and are never deferred.
 */
export type FieldPath = (string | number)[];

const wholeSecret = /^\$\{secret:([^}]+)\}$/;

/** The reference inside a whole-value `${secret:...}`, else undefined. */
export function wholeSecretReference(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return wholeSecret.exec(value.trim())?.[1]?.trim();
}

const fixedKeys = new Set<string>([...Object.keys(commonCheckShape), 'type']);

/** Paths (inside one check) of plugin fields whose whole value is a secret reference. */
export function secretFieldPaths(check: unknown): FieldPath[] {
  if (!check || typeof check !== 'object' || Array.isArray(check)) return [];
  const paths: FieldPath[] = [];
  const visit = (value: unknown, path: FieldPath): void => {
    if (wholeSecretReference(value) !== undefined) {
      paths.push(path);
    } else if (value && typeof value === 'object') {
      // Arrays too: their entries are keyed "0", "1", ... and become numeric path segments.
      for (const [key, item] of Object.entries(value)) {
        visit(item, [...path, Array.isArray(value) ? Number(key) : key]);
      }
    }
  };
  for (const [key, value] of Object.entries(check)) {
    if (!fixedKeys.has(key)) visit(value, [key]);
  }
  return paths;
}

export function isUnder(path: IssuePath, prefix: IssuePath): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => path[i] === key);
}

export function valueAt(value: unknown, path: IssuePath): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Deferred paths of every check in a raw config, as absolute paths (`checks[2].url`). */
export function deferredSecretPaths(raw: unknown): FieldPath[] {
  const checks = (raw as { checks?: unknown } | null)?.checks;
  if (!Array.isArray(checks)) return [];
  return checks.flatMap((check, i) => secretFieldPaths(check).map((p) => ['checks', i, ...p]));
}

/**
 * Parses one check whose deferred fields fail their own schema (a reference is not a number, not
 * a URL): the deferred top-level fields pass through as written, every other field gets its
 * defaults, and the check's cross-field rules run with problems on deferred fields set aside.
 */
export function parseCheckDeferringSecrets(
  raw: Record<string, unknown>,
  deferred: readonly FieldPath[],
): { data?: unknown; issues: z.core.$ZodIssue[] } | undefined {
  const plugin = findCheckPlugin(String(raw['type']));
  if (!plugin) return undefined;
  const topKeys = [...new Set(deferred.map((p) => String(p[0])))];
  const shape = plugin.fieldsSchema.shape as Record<string, z.ZodType>;
  // The field's own schema when the written value passes it (defaults inside applied), else as is.
  const lenient = plugin.fieldsSchema.extend(
    Object.fromEntries(topKeys.map((key) => [key, shape[key]?.or(z.unknown()) ?? z.unknown()])),
  );
  const result = lenient.safeParse(raw, { reportInput: true });
  if (!result.success) return { issues: result.error.issues };
  const issues: z.core.$ZodIssue[] = [];
  const ctx = {
    value: result.data,
    addIssue(issue: z.core.$ZodIssue | string) {
      if (typeof issue === 'string') issues.push({ code: 'custom', path: [], message: issue });
      else issues.push({ ...issue, path: issue.path ?? [] } as z.core.$ZodIssue);
    },
  } as unknown as z.RefinementCtx;
  try {
    plugin.refine?.(result.data as never, ctx);
  } catch {
    // A rule that cannot cope with an unresolved reference is checked again at run time.
  }
  return {
    data: result.data,
    issues: issues.filter((issue) => !deferred.some((p) => isUnder(issue.path, p))),
  };
}
