import type { Severity } from '../config/fields.ts';
import { compareStatus, type Status } from '../core/status.ts';

/**
 * Grouping per run, as pure functions: which of a suite run's new incidents share a cause and are
 * told as one grouped incident instead of one page per check.
 *
 * How "related" is judged: two checks are related when they fail with the same error *and* at
 * the same place (host, /24 subnet, Kubernetes namespace or node), or, failing that, at the same
 * host whatever the error, or with the same error anywhere (DNS down: ENOTFOUND everywhere). The
 * most specific shared cause that at least `minChecks` checks have forms a group, so a check on
 * the same host that fails differently (a 500 while the others time out) stays on its own. What
 * is left once causes are taken forms one cause-less group only when it is a storm of its own,
 * at least twice `minChecks` (a handful of distinct problems is worth a page each; hundreds of
 * them are not); fewer left-over checks alert on their own.
 */

export interface GroupingSettings {
  readonly enabled: boolean;
  /** New incidents in one run that sharing a cause need to become a group. */
  readonly minChecks: number;
}

export const defaultGrouping: GroupingSettings = { enabled: true, minChecks: 5 };

/** New incidents with nothing in common that still become one (cause-less) group. */
export function causelessMinimum(settings: GroupingSettings): number {
  return 2 * settings.minChecks;
}

/** A check whose result opens a new incident in this run (nothing open before). */
export interface GroupCandidate {
  readonly check: string;
  readonly name?: string;
  readonly severity: Severity;
  readonly status: Status;
  readonly summary: string;
  /** `host:port` the check connects to (lib/core/check-target.ts), if it names one. */
  readonly target?: string;
  readonly details?: Record<string, unknown>;
}

export interface PlannedGroup {
  /** The incident's dedup key: `<suite or ->/group/<run time>[-n]`. */
  readonly key: string;
  /** What identifies the cause (undefined for a cause-less group); later checks with it join. */
  readonly causeKey?: string;
  /** The cause in words: "connect ECONNREFUSED 127.0.0.1". */
  readonly cause?: string;
  /** Worst first. */
  readonly members: readonly GroupCandidate[];
}

export interface OpenGroupRef {
  readonly key: string;
  readonly causeKey?: string;
}

export interface GroupPlan {
  readonly groups: readonly PlannedGroup[];
  /** Candidates that join a group already open from an earlier run (check -> group key). */
  readonly joins: ReadonlyMap<string, string>;
}

/** Worst status first, then the most urgent severity, then id: the order every listing uses. */
export function worstFirst<T extends { status: Status; severity: Severity; check: string }>(
  list: readonly T[],
): T[] {
  return [...list].sort(
    (a, b) =>
      compareStatus(b.status, a.status) ||
      a.severity.localeCompare(b.severity) ||
      a.check.localeCompare(b.check),
  );
}

/** "connect ECONNREFUSED", "getaddrinfo ENOTFOUND": the error code and the word before it. */
export function errorPhrase(summary: string): string | undefined {
  const match = /(?:\b([a-z]+) )?\b(E[A-Z][A-Z_]{2,})\b/.exec(summary);
  if (!match) return undefined;
  return match[1] ? `${match[1]} ${match[2]}` : match[2];
}

function hostOf(target: string | undefined): string | undefined {
  if (!target) return undefined;
  const at = target.lastIndexOf(':');
  const host = at > 0 ? target.slice(0, at) : target;
  return host.replace(/^\[|\]$/g, '');
}

function subnetOf(host: string | undefined): string | undefined {
  const m = host ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(host) : null;
  return m ? `${m[1]}.${m[2]}.${m[3]}.0/24` : undefined;
}

function detailText(details: Record<string, unknown> | undefined, key: string) {
  const value = details?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Where a check fails, most specific first: [kind, value] pairs. */
function placesOf(c: GroupCandidate): [string, string][] {
  const host = hostOf(c.target);
  const places: [string, string | undefined][] = [
    ['host', host],
    ['subnet', subnetOf(host)],
    ['namespace', detailText(c.details, 'namespace')],
    ['node', detailText(c.details, 'node')],
  ];
  return places.filter((p): p is [string, string] => p[1] !== undefined);
}

/**
 * The error a check fails with, comparable across checks: its error code ("connect ETIMEDOUT"),
 * else the error its details give, else what its summary says after the last ": " (summaries
 * name their own URL or host first: "GET http://10.0.4.7/a: connection refused").
 */
export function errorOf(c: Pick<GroupCandidate, 'summary' | 'details'>): string {
  const code = errorPhrase(c.summary);
  if (code) return code;
  const given = detailText(c.details, 'error');
  if (given) return sameTimeout(given.trim());
  const at = c.summary.lastIndexOf(': ');
  return sameTimeout((at === -1 ? c.summary : c.summary.slice(at + 2)).trim());
}

/**
 * A timeout is one failure whatever phase it hit: the engine's deadline says "timed out after
 * 5s", the HTTP client a moment earlier "timed out after 5s waiting for the response headers".
 * Under load the same hung host gives both; they must not split its checks into two incidents.
 */
function sameTimeout(error: string): string {
  const timeout = /^timed out after \S+/.exec(error)?.[0];
  // A trailing hint ("(nothing listening on that port?)") is advice, not the error: leave it
  // out of the cause so the host stays in a subject line.
  return timeout ?? error.replace(/\s*\([^()]*\)$/, '');
}

/**
 * Cause keys of one candidate by level, most specific level first: error at a place, any error at
 * the host, the same error anywhere.
 */
function causeKeys(c: GroupCandidate): string[][] {
  const error = errorOf(c);
  const places = placesOf(c);
  const host = places.find(([kind]) => kind === 'host');
  return [
    places.map(([kind, value]) => `${error}@${kind}:${value}`),
    host ? [`*@host:${host[1]}`] : [],
    [`${error}@*`],
  ];
}

/** A cause key in words: "connect ETIMEDOUT at 10.0.4.0/24", "host 10.0.4.7", "x at namespace erp". */
export function describeCause(causeKey: string): string {
  const at = causeKey.lastIndexOf('@');
  const error = causeKey.slice(0, at);
  const place = causeKey.slice(at + 1);
  const [kind, ...rest] = place.split(':');
  const value = rest.join(':');
  const where =
    place === '*'
      ? ''
      : kind === 'host' || kind === 'subnet'
        ? value
        : `${kind === 'namespace' ? 'namespace' : 'node'} ${value}`;
  if (error === '*') return `host ${where}`;
  return where ? `${error} at ${where}` : error;
}

/**
 * The run's grouping: candidates that share an open group's cause join it; of the rest, checks
 * sharing a cause form groups of at least `minChecks`, most specific cause first; what remains
 * forms one cause-less group if it still has `minChecks` (see the file comment). Members of a
 * group are worst first; candidates in no group alert on their own.
 */
export function planGroups(
  candidates: readonly GroupCandidate[],
  settings: GroupingSettings,
  context: {
    readonly suite: string | null;
    readonly at: string;
    readonly open?: readonly OpenGroupRef[];
  },
): GroupPlan {
  const joins = new Map<string, string>();
  if (!settings.enabled) return { groups: [], joins };
  let remaining = [...candidates];
  const openByCause = new Map(
    (context.open ?? []).flatMap((g) => (g.causeKey ? [[g.causeKey, g.key] as const] : [])),
  );
  remaining = remaining.filter((c) => {
    const key = causeKeys(c)
      .flat()
      .find((k) => openByCause.has(k));
    if (key) joins.set(c.check, openByCause.get(key) as string);
    return !key;
  });

  const groups: PlannedGroup[] = [];
  const keyFor = (index: number) =>
    `${context.suite ?? '-'}/group/${context.at}${index === 0 ? '' : `-${index + 1}`}`;
  const levels = 3;
  for (let level = 0; level < levels; level++) {
    // Largest cluster first; a check taken by one cluster is gone for the others.
    for (;;) {
      const counts = new Map<string, number>();
      for (const c of remaining) {
        for (const k of causeKeys(c)[level] ?? []) counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      const best = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
      if (!best || best[1] < settings.minChecks) break;
      const [causeKey] = best;
      const members = remaining.filter((c) => causeKeys(c)[level]?.includes(causeKey));
      remaining = remaining.filter((c) => !members.includes(c));
      groups.push({
        key: keyFor(groups.length),
        causeKey,
        cause: describeCause(causeKey),
        members: worstFirst(members),
      });
    }
  }
  if (remaining.length >= causelessMinimum(settings)) {
    groups.push({ key: keyFor(groups.length), members: worstFirst(remaining) });
  }
  return { groups, joins };
}
