import type { CronExpression } from './schedule-expression.ts';
import { type ZonedParts, zonedParts } from './zoned-time.ts';

const minuteMs = 60_000;
const blockMs = 15 * minuteMs;

function wallClock(p: ZonedParts): string {
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/**
 * The instants in [from, until) at which a cron fires in `timeZone`, earliest first, at most
 * `limit`, as EventBridge Scheduler fires them across daylight saving changes: a wall-clock time
 * the spring change skips does not fire, and one the autumn change repeats fires once (the
 * first). Time-zone conversion is the slow part, so it is done once per quarter hour (every offset
 * in use is a multiple of 15 minutes) and minutes are added to it.
 */
export function cronFireTimes(
  cron: CronExpression,
  timeZone: string,
  from: Date,
  until: Date,
  limit = Number.POSITIVE_INFINITY,
): Date[] {
  const start = Math.ceil(from.getTime() / minuteMs) * minuteMs;
  const end = until.getTime();
  const times: Date[] = [];
  // The wall-clock times of the hour before `start`, so a repeat right after it is recognised.
  const seen = new Set<string>();
  for (let t = start - 60 * minuteMs; t < start; t += minuteMs) {
    seen.add(wallClock(zonedParts(new Date(t), timeZone)));
  }
  for (let block = Math.floor(start / blockMs) * blockMs; block < end; block += blockMs) {
    const base = zonedParts(new Date(block), timeZone);
    for (let k = 0; k < 15 && times.length < limit; k++) {
      const instant = block + k * minuteMs;
      if (instant < start || instant >= end) continue;
      const minute = base.minute + k;
      const parts = minute < 60 ? { ...base, minute } : zonedParts(new Date(instant), timeZone);
      const clock = wallClock(parts);
      if (seen.has(clock)) continue;
      seen.add(clock);
      if (cron.matches(parts)) times.push(new Date(instant));
    }
    if (times.length >= limit) break;
    // Only the last hour's wall-clock times can repeat; keep the set small.
    if (seen.size > 240) {
      const recent = [...seen].slice(-120);
      seen.clear();
      for (const clock of recent) seen.add(clock);
    }
  }
  return times;
}

/** The instant a wall-clock time in `timeZone` denotes (the first one, when it repeats). */
export function zonedInstant(
  local: { year: number; month: number; day: number; hour: number; minute: number },
  timeZone: string,
): Date {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // Offsets are within ±14 h: try each quarter-hour one, earliest instant first.
  for (let shift = -14 * 60; shift <= 14 * 60; shift += 15) {
    const candidate = new Date(asUtc + shift * minuteMs);
    const p = zonedParts(candidate, timeZone);
    if (
      p.year === local.year &&
      p.month === local.month &&
      p.day === local.day &&
      p.hour === local.hour &&
      p.minute === local.minute
    ) {
      return candidate;
    }
  }
  // A time the spring change skips: read it with the offset in force the day before.
  const dayBefore = asUtc - 24 * 60 * minuteMs;
  const p = zonedParts(new Date(dayBefore), timeZone);
  const offsetMs = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - dayBefore;
  return new Date(asUtc - offsetMs);
}
