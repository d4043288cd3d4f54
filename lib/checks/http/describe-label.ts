import { jsonPathProblem, queryJson } from './json-path.ts';

/**
 * `describe` names the item a failed value belongs to, for summaries such as
 * `connector orders-cdc task 2 FAILED`. It is text with `{JSONPath}` placeholders
 * (`connector {$.name} task {@.id}`), or one bare JSONPath (`@.name`); `@` is the offending
 * item (the array element holding the value), `$` the whole document.
 */
const placeholder = /\{([^{}]+)\}/g;

function parts(describe: string): string[] {
  return describe.includes('{')
    ? [...describe.matchAll(placeholder)].map((m) => (m[1] ?? '').trim())
    : [describe.trim()];
}

export function describeProblem(describe: string): string | undefined {
  const paths = parts(describe);
  if (paths.length === 0)
    return 'expected a JSONPath (@.name) or text with {JSONPath} placeholders';
  for (const path of paths) {
    if (!path.startsWith('$') && !path.startsWith('@')) {
      return `"${path}" must start with @ (the offending item) or $ (the document)`;
    }
    const problem = jsonPathProblem(`$${path.slice(1)}`);
    if (problem) return `"${path}": ${problem}`;
  }
  return undefined;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '?';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function resolve(path: string, item: unknown, document: unknown): string {
  const base = path.startsWith('@') ? item : document;
  try {
    const values = queryJson(base, `$${path.slice(1)}`).map((m) => text(m.value));
    return values.length > 0 ? values.join(',') : '?';
  } catch {
    return '?';
  }
}

/** The label for one offending item. */
export function describeItem(describe: string, item: unknown, document: unknown): string {
  if (!describe.includes('{')) return resolve(describe.trim(), item, document);
  return describe.replace(placeholder, (_whole, path: string) =>
    resolve(path.trim(), item, document),
  );
}
