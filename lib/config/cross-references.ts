import type { Problem } from './format-issues.ts';

/**
 * Rules that span fields: unique ids and references to checks that exist. Run on the raw input,
 * not inside the schema, so they are reported together with every other problem in one pass.
 */
type Item = Record<string, unknown>;

function items(value: unknown): Item[] {
  return Array.isArray(value)
    ? value.map((v) => (v && typeof v === 'object' ? (v as Item) : {}))
    : [];
}

function ids(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function crossReferenceProblems(raw: unknown): Problem[] {
  if (!raw || typeof raw !== 'object') return [];
  const root = raw as Item;
  const problems: Problem[] = [];
  const checks = items(root['checks']);
  const suites = items(root['suites']);
  const firstIndex = (list: Item[], kind: string): Set<string> => {
    const seen = new Map<string, number>();
    list.forEach((item, index) => {
      const id = item['id'];
      if (typeof id !== 'string') return;
      const first = seen.get(id);
      if (first === undefined) seen.set(id, index);
      else {
        problems.push({
          path: [kind, index, 'id'],
          message: `duplicate id "${id}" (already used by ${kind}[${first}])`,
        });
      }
    });
    return new Set(seen.keys());
  };
  const known = firstIndex(checks, 'checks');
  firstIndex(suites, 'suites');
  const missing = (list: unknown, path: (string | number)[]): void => {
    ids(list).forEach((id, index) => {
      if (typeof id === 'string' && !known.has(id)) {
        problems.push({ path: [...path, index], message: `no check with id "${id}"` });
      }
    });
  };
  suites.forEach((suite, i) => {
    missing(suite['checks'], ['suites', i, 'checks']);
  });
  items(root['maintenanceWindows']).forEach((window, i) => {
    missing(window['checks'], ['maintenanceWindows', i, 'checks']);
  });
  problems.push(...duplicateEmailProblems(root['notifications']));
  return problems;
}

/**
 * Email addresses are compared ignoring case (mail systems treat `OnCall@x` and `oncall@x` as
 * one mailbox, and SNS would subscribe both): a repeat is reported at its own index.
 */
function duplicateEmailProblems(notifications: unknown): Problem[] {
  if (!notifications || typeof notifications !== 'object') return [];
  const emails = (notifications as Item)['email'];
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  ids(emails).forEach((email, index) => {
    if (typeof email !== 'string') return;
    const key = email.trim().toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      return;
    }
    const same = (ids(emails)[first] as string).trim() === email.trim();
    problems.push({
      path: ['notifications', 'email', index],
      message: same
        ? `duplicate address (already notifications.email[${first}])`
        : `same address as notifications.email[${first}] in other letter case (addresses are compared ignoring case)`,
    });
  });
  return problems;
}
