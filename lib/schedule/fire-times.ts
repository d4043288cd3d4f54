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
