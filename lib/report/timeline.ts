import type { RunRecord } from '../alerting/result-store.ts';
import { type Status, worstStatus } from '../core/status.ts';
import { zonedDate } from '../schedule/zoned-time.ts';

/** One recorded run, as the status page and its feed keep it (small: no details). */
export interface RunPoint {
  /** The run's key: its scheduled time, or its start time for unscheduled runs (ISO). */
  readonly at: string;
  /** Two suites sharing a check at one scheduled time are two runs. */
  readonly suite: string | null;
  readonly status: Status;
  readonly durationMs: number;
  readonly summary: string;
}

/** Runs of one check on one calendar day in the config's time zone. */
export interface DayTally {
  /** yyyy-MM-dd in the config's time zone. */
  readonly day: string;
  readonly runs: number;
  /** Runs that counted as up: `ok` or `warning` (the target answered, nothing critical). */
  readonly up: number;
  readonly worst: Status;
}

export interface CheckTimeline {
  /** The newest runs, oldest first, at most `recentRunsKept`. */
  readonly recent: readonly RunPoint[];
  /** One entry per day that had runs, oldest first, at most `daysKept` days back. */
  readonly days: readonly DayTally[];
}

export const recentRunsKept = 30;
export const daysKept = 90;
export const uptimeWindowDays = [7, 30, 90] as const;
/** Summaries in the feed are cut here; the full text is in `history`. */
const maxPointSummary = 240;

export function isUp(status: Status): boolean {
  return status === 'ok' || status === 'warning';
}

export function runPoint(record: RunRecord): RunPoint {
  const summary = record.result.summary;
  return {
    at: record.scheduledTime ?? record.at,
    suite: record.suite,
    status: record.result.status,
    durationMs: record.result.durationMs,
    summary:
      summary.length > maxPointSummary ? `${summary.slice(0, maxPointSummary - 1)}…` : summary,
  };
}

export function dayOf(instant: Date | string, timeZone: string): string {
  const d = zonedDate(new Date(instant), timeZone);
  return `${d.yyyy}-${d.MM}-${d.dd}`;
}

/** The calendar day `days` before `now`'s day in the zone (0 = today). */
export function dayBefore(now: Date, days: number, timeZone: string): string {
  // Noon of today's date in UTC terms, stepped back whole days, avoids DST edge cases.
  const [y, m, d] = dayOf(now, timeZone).split('-').map(Number);
  const noon = Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) - days, 12);
  return new Date(noon).toISOString().slice(0, 10);
}

function tally(points: readonly RunPoint[], timeZone: string): DayTally[] {
  const byDay = new Map<string, RunPoint[]>();
  for (const p of points) {
    const day = dayOf(p.at, timeZone);
    const list = byDay.get(day);
    if (list) list.push(p);
    else byDay.set(day, [p]);
  }
  return [...byDay.entries()].map(([day, list]) => ({
    day,
    runs: list.length,
    up: list.filter((p) => isUp(p.status)).length,
    worst: worstStatus(list.map((p) => p.status)),
  }));
}

export interface TimelineInput {
  /** Recorded runs, in any order; duplicates (same `at` and suite) count once. */
  readonly runs: readonly RunPoint[];
  readonly now: Date;
  readonly timeZone: string;
  /**
   * `runs` hold every run from this day on (yyyy-MM-dd); earlier days come from `previousDays`.
   * @default - `runs` are complete for the whole `daysKept` window
   */
  readonly completeFromDay?: string;
  /** Tallies kept from an earlier page (the published feed), used for days before `completeFromDay`. */
  readonly previousDays?: readonly DayTally[];
}

/**
 * A check's recent runs and daily tallies. Pure: the same runs give the same timeline, whether
 * they were all read from the store (locally) or today's were merged into yesterday's feed (AWS).
 */
export function buildTimeline(input: TimelineInput): CheckTimeline {
  const unique = [...new Map(input.runs.map((p) => [`${p.at}|${p.suite ?? ''}`, p])).values()].sort(
    (a, b) => a.at.localeCompare(b.at) || (a.suite ?? '').localeCompare(b.suite ?? ''),
  );
  const firstKept = dayBefore(input.now, daysKept - 1, input.timeZone);
  const from = input.completeFromDay ?? firstKept;
  const counted = unique.filter((p) => dayOf(p.at, input.timeZone) >= from);
  const carried = (input.previousDays ?? []).filter((d) => d.day < from);
  const days = [...carried, ...tally(counted, input.timeZone)]
    .filter((d) => d.day >= firstKept)
    .sort((a, b) => a.day.localeCompare(b.day));
  return { recent: unique.slice(-recentRunsKept), days };
}

export interface Uptime {
  /** Share of runs that were up, 0-100 with one decimal; null when nothing ran in the window. */
  readonly percent: number | null;
  readonly runs: number;
}

/** Uptime over the last `windowDays` calendar days (today included) in the zone. */
export function uptimeOver(
  timeline: CheckTimeline,
  windowDays: number,
  now: Date,
  timeZone: string,
): Uptime {
  const from = dayBefore(now, windowDays - 1, timeZone);
  let runs = 0;
  let up = 0;
  for (const d of timeline.days) {
    if (d.day < from) continue;
    runs += d.runs;
    up += d.up;
  }
  if (runs === 0) return { percent: null, runs };
  // Floor, not round: 99.96% up is not "100%" on a status page.
  return { percent: Math.floor((up / runs) * 1000) / 10, runs };
}
