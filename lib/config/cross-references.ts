import { didYouMean } from '../shared/closest-match.ts';
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
        problems.push({
          path: [...path, index],
          message: `no check with id "${id}"${didYouMean(id, known)}`,
        });
      }
    });
  };
  suites.forEach((suite, i) => {
    missing(suite['checks'], ['suites', i, 'checks']);
  });
  items(root['maintenanceWindows']).forEach((window, i) => {
    missing(window['checks'], ['maintenanceWindows', i, 'checks']);
  });
  checks.forEach((check, i) => {
    missing(check['dependsOn'], ['checks', i, 'dependsOn']);
  });
  problems.push(...dependencyCycleProblems(checks));
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
  const addressOf = (entry: unknown) =>
    typeof entry === 'string' ? entry : (entry as { address?: unknown } | null)?.address;
  ids(emails).forEach((entry, index) => {
    const email = addressOf(entry);
    if (typeof email !== 'string') return;
    const key = email.trim().toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      return;
    }
    const same = String(addressOf(ids(emails)[first])).trim() === email.trim();
    problems.push({
      path: ['notifications', 'email', index],
      message: same
        ? `duplicate address (already notifications.email[${first}])`
        : `same address as notifications.email[${first}] in other letter case (addresses are compared ignoring case)`,
    });
  });
  return problems;
}

/**
 * `dependsOn` must not loop: a check that (through others) depends on itself would suppress its
 * own alerts forever. Each cycle is reported once, at the first check of it in config order.
 */
function dependencyCycleProblems(checks: Item[]): Problem[] {
  const index = new Map<string, number>();
  checks.forEach((c, i) => {
    if (typeof c['id'] === 'string' && !index.has(c['id'])) index.set(c['id'], i);
  });
  const parents = (id: string): string[] =>
    ids(checks[index.get(id) as number]?.['dependsOn']).filter(
      (p): p is string => typeof p === 'string' && index.has(p),
    );
  const problems: Problem[] = [];
  const reported = new Set<string>();
  const done = new Set<string>();
  const visit = (id: string, trail: string[]): void => {
    const at = trail.indexOf(id);
    if (at !== -1) {
      const cycle = trail.slice(at);
      const first = [...cycle].sort(
        (a, b) => (index.get(a) ?? 0) - (index.get(b) ?? 0),
      )[0] as string;
      const key = [...cycle].sort().join(',');
      if (reported.has(key)) return;
      reported.add(key);
      const from = cycle.indexOf(first);
      const ordered = [...cycle.slice(from), ...cycle.slice(0, from), first];
      problems.push({
        path: ['checks', index.get(first) as number, 'dependsOn'],
        message: `dependency cycle: ${ordered.join(' -> ')} (a check cannot depend on itself, even through others)`,
      });
      return;
    }
    if (done.has(id)) return;
    for (const parent of parents(id)) visit(parent, [...trail, id]);
    done.add(id);
  };
  for (const id of index.keys()) visit(id, []);
  return problems;
}
