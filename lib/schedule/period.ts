import { type CronExpression, parseScheduleExpression } from './schedule-expression.ts';
import { zonedParts } from './zoned-time.ts';

const minuteMs = 60_000;

/** How far ahead fire times are sampled: long enough to see monthly (`SAT#1`) and `L` schedules. */
const shortHorizonDays = 62;
const longHorizonDays = 400;

/**
 * Fire times in [from, from + days), at most `limit`. Time-zone conversion is the slow part, so it
 * is done once per quarter hour (every zone offset in use is a multiple of 15 minutes) and minutes
 * are added to it.
 */
export function fireTimes(
  cron: CronExpression,
  timeZone: string,
  from: Date,
  days: number,
  limit: number,
): number[] {
  const block = 15 * minuteMs;
  // Fire times are whole minutes: the first candidate is the first whole minute at or after `from`.
  const first = Math.ceil(from.getTime() / minuteMs) * minuteMs;
  const start = Math.floor(first / block) * block;
  const end = first + days * 24 * 60 * minuteMs;
  const times: number[] = [];
  for (let t = start; t < end && times.length < limit; t += block) {
    const base = zonedParts(new Date(t), timeZone);
    for (let k = 0; k < 15; k++) {
      const instant = t + k * minuteMs;
      const minute = base.minute + k;
      if (instant < first || instant >= end) continue;
      const parts = minute < 60 ? { ...base, minute } : zonedParts(new Date(instant), timeZone);
      if (cron.matches(parts)) times.push(instant);
    }
  }
  return times.slice(0, limit);
}

function largestGapMinutes(times: readonly number[]): number {
  let gap = 0;
  for (let i = 1; i < times.length; i++) {
    gap = Math.max(gap, ((times[i] ?? 0) - (times[i - 1] ?? 0)) / minuteMs);
  }
  return gap;
}

/**
 * The longest time, in minutes, between two consecutive runs of a schedule: how long silence is
 * normal before a suite counts as "not completing" (the missing-data alarm). Cron schedules are
 * sampled minute by minute in their time zone, so DST shifts and month lengths are included.
 * `undefined` for one-shot `at(...)` schedules and crons that fire fewer than twice in ~13 months.
 */
export function longestScheduleGapMinutes(
  expression: string,
  timeZone: string,
  from: Date = new Date(),
): number | undefined {
  const parsed = parseScheduleExpression(expression);
  if (parsed.kind === 'rate') return parsed.minutes;
  if (parsed.kind === 'at') return undefined;
  let times = fireTimes(parsed.cron, timeZone, from, shortHorizonDays, 5000);
  if (times.length < 3) times = fireTimes(parsed.cron, timeZone, from, longHorizonDays, 5000);
  return times.length < 2 ? undefined : largestGapMinutes(times);
}
