import type { StoredCheckState } from '../alerting/result-store.ts';
import type { Config } from '../config/load-config.ts';
import { compareStatus, isFailing, type Status, statuses, worstStatus } from '../core/status.ts';
import { scheduleOutlook } from './next-runs.ts';
import {
  type CheckTimeline,
  type DayTally,
  type RunPoint,
  type Uptime,
  uptimeOver,
  uptimeWindowDays,
} from './timeline.ts';

/**
 * The status page's data, published beside it as JSON for other tools (`status.json`). Times are
 * ISO 8601 UTC; `timezone` says how the page shows them. The page is rendered from this alone, so
 * what a person sees and what a script reads cannot disagree.
 */
export const statusFeedFormat = 'healthcheck-status';
export const statusFeedVersion = 1;

export interface FeedAlert {
  /** What was last notified; `ok` = no open alert. */
  readonly status: Status;
  readonly notifiedAt: string | null;
  /** Notifications not yet accepted by every channel. */
  readonly pending: number;
}

export interface FeedCheck {
  readonly id: string;
  readonly name: string | null;
  readonly type: string;
  readonly severity: string;
  readonly runbook: string | null;
  readonly suites: readonly string[];
  /** Latest result's status; null when the check never ran. */
  readonly status: Status | null;
  /** Start of the current status streak. */
  readonly since: string | null;
  /** First failing run of the current failure (kept until resolved). */
  readonly failingSince: string | null;
  readonly summary: string | null;
  readonly lastRunAt: string | null;
  readonly durationMs: number | null;
  readonly alert: FeedAlert | null;
  readonly nextRunAt: string | null;
  /** rate() schedules: estimated from the last run. */
  readonly nextRunEstimated: boolean;
  /** Keys `7d`, `30d`, `90d`. */
  readonly uptime: Readonly<Record<string, Uptime>>;
  readonly recent: readonly RunPoint[];
  readonly days: readonly DayTally[];
}

export interface FeedSuite {
  readonly id: string;
  readonly description: string | null;
  readonly schedule: string;
  readonly checks: readonly string[];
  readonly nextRunAt: string | null;
  readonly nextRunEstimated: boolean;
  /** For rate() schedules without a recorded run: the interval. */
  readonly everyMinutes: number | null;
}

export interface StatusFeed {
  readonly format: typeof statusFeedFormat;
  readonly version: typeof statusFeedVersion;
  readonly generatedAt: string;
  readonly timezone: string;
  /** Worst current status; null when no check ever ran. */
  readonly status: Status | null;
  readonly counts: Readonly<Record<Status | 'never', number>>;
  /** Ids of the open incidents, most urgent first (the page shows them first). */
  readonly incidents: readonly string[];
  readonly suites: readonly FeedSuite[];
  readonly checks: readonly FeedCheck[];
}

const severityRank: Record<string, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };

/** Failing now, or an alert still open (e.g. waiting for successThreshold ok runs). */
export function isOpenIncident(check: FeedCheck): boolean {
  return (
    (check.status !== null && isFailing(check.status)) ||
    (check.alert !== null && isFailing(check.alert.status))
  );
}

/** Most urgent first: worst status, then severity, then the longest-running failure. */
function incidentOrder(a: FeedCheck, b: FeedCheck): number {
  return (
    compareStatus(b.status ?? 'ok', a.status ?? 'ok') ||
    (severityRank[a.severity] ?? 9) - (severityRank[b.severity] ?? 9) ||
    (a.failingSince ?? a.since ?? '').localeCompare(b.failingSince ?? b.since ?? '')
  );
}

export interface StatusFeedInput {
  readonly config: Pick<Config, 'timezone' | 'suites' | 'checks'>;
  readonly states: ReadonlyMap<string, StoredCheckState>;
  readonly timelines: ReadonlyMap<string, CheckTimeline>;
  readonly now: Date;
}

export function buildStatusFeed(input: StatusFeedInput): StatusFeed {
  const { config, states, now } = input;
  const tz = config.timezone;
  const outlook = scheduleOutlook(config, now, (id) => states.get(id)?.lastResult?.startedAt);
  const checks: FeedCheck[] = config.checks.map((c) => {
    const state = states.get(c.id);
    const result = state?.lastResult;
    const timeline = input.timelines.get(c.id) ?? { recent: [], days: [] };
    const next = outlook.checks.get(c.id);
    return {
      id: c.id,
      name: c.name ?? null,
      type: c.type,
      severity: c.severity,
      runbook: c.runbook ?? null,
      suites: config.suites.filter((s) => s.checks.includes(c.id)).map((s) => s.id),
      status: result?.status ?? null,
      since: result ? (state?.alert.statusSince ?? result.startedAt) : null,
      failingSince: state?.alert.failingSince ?? null,
      summary: result?.summary ?? null,
      lastRunAt: result?.startedAt ?? null,
      durationMs: result?.durationMs ?? null,
      alert: state
        ? {
            status: state.alert.alertedStatus,
            notifiedAt: state.alert.lastNotifiedAt ?? null,
            pending: state.alert.outbox.length,
          }
        : null,
      nextRunAt: next?.at?.toISOString() ?? null,
      nextRunEstimated: next?.certainty === 'estimated',
      uptime: Object.fromEntries(
        uptimeWindowDays.map((days) => [`${days}d`, uptimeOver(timeline, days, now, tz)]),
      ),
      recent: timeline.recent,
      days: timeline.days,
    };
  });
  const counts = Object.fromEntries([...statuses, 'never'].map((s) => [s, 0])) as Record<
    Status | 'never',
    number
  >;
  for (const c of checks) counts[c.status ?? 'never']++;
  const ran = checks.flatMap((c) => (c.status ? [c.status] : []));
  return {
    format: statusFeedFormat,
    version: statusFeedVersion,
    generatedAt: now.toISOString(),
    timezone: tz,
    status: ran.length > 0 ? worstStatus(ran) : null,
    counts,
    incidents: checks
      .filter(isOpenIncident)
      .sort(incidentOrder)
      .map((c) => c.id),
    suites: config.suites.map((s) => {
      const next = outlook.suites.get(s.id);
      return {
        id: s.id,
        description: s.description ?? null,
        schedule: s.schedule,
        checks: s.checks,
        nextRunAt: next?.at?.toISOString() ?? null,
        nextRunEstimated: next?.certainty === 'estimated',
        everyMinutes: next?.everyMinutes ?? null,
      };
    }),
    checks,
  };
}

/** A published feed read back (S3): only a well-formed one of this version is trusted. */
export function parseStatusFeed(text: string): StatusFeed | undefined {
  try {
    const value = JSON.parse(text) as Partial<StatusFeed>;
    if (value.format !== statusFeedFormat || value.version !== statusFeedVersion) return undefined;
    if (!Array.isArray(value.checks)) return undefined;
    return value as StatusFeed;
  } catch {
    return undefined;
  }
}
