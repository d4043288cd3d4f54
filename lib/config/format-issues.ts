import type * as z from 'zod';

export type IssuePath = readonly PropertyKey[];

/** `checks[3].port` from ['checks', 3, 'port']. */
export function formatPath(path: IssuePath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'text';
  return typeof value;
}

export interface Problem {
  readonly path: IssuePath;
  readonly message: string;
}

/** One problem per zod issue, phrased for people editing YAML; unknown keys get one line each. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path;
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys)
          problems.push({ path: [...path, key], message: 'unknown key' });
        break;
      case 'invalid_type': {
        const input = (issue as { input?: unknown }).input;
        problems.push({
          path,
          message:
            input === undefined
              ? `required (expected ${issue.expected})`
              : `expected ${issue.expected}, got ${describeValue(input)}`,
        });
        break;
      }
      case 'invalid_union': {
        const discriminator = (issue as { discriminator?: string }).discriminator;
        if (discriminator) {
          const input = (issue as { input?: unknown }).input;
          const given =
            input && typeof input === 'object'
              ? (input as Record<string, unknown>)[discriminator]
              : undefined;
          problems.push({
            path: path.at(-1) === discriminator ? path : [...path, discriminator],
            message:
              given === undefined
                ? `required`
                : `unknown ${discriminator} ${JSON.stringify(given)}`,
          });
        } else problems.push({ path, message: issue.message });
        break;
      }
      case 'invalid_value':
        problems.push({
          path,
          message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        });
        break;
      default:
        problems.push({ path, message: issue.message.replace(/^Invalid input: /, '') });
    }
  }
  return problems;
}
