import type { CalendarDay, CronExpression } from './schedule-expression.ts';
import { zonedParts } from './zoned-time.ts';

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

export interface ActiveWindow {
  readonly startedAt: Date;
  readonly endsAt: Date;
}

/** The zone's offset from UTC at `instant`, in ms, to the minute (what cron fields see). */
function offsetAt(instant: number, timeZone: string): number {
  const p = zonedParts(new Date(instant), timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return wall - Math.floor(instant / minuteMs) * minuteMs;
}

interface DayPlan {
  readonly day: CalendarDay;
  /** Midnight of the day's wall clock, as if it were UTC. */
  readonly wallMidnight: number;
  /** The offsets in force around the day: one on ordinary days, two on a DST change day. */
  readonly offsets: readonly number[];
}

/** The `back`-th calendar day before `year-month-day`, with the zone offsets around it. */
function dayPlan(
  year: number,
  month: number,
  day: number,
  back: number,
  timeZone: string,
): DayPlan {
  const date = new Date(Date.UTC(year, month - 1, day - back));
  const wallMidnight = date.getTime();
  // 14 h before the wall day starts and after it ends is outside it in every zone (UTC-12..+14).
  const before = offsetAt(wallMidnight - 14 * hourMs, timeZone);
  const after = offsetAt(wallMidnight + dayMs + 14 * hourMs, timeZone);
  return {
    day: {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      weekday: date.getUTCDay() + 1,
    },
    wallMidnight,
    offsets: before === after ? [before] : [before, after],
  };
}

/**
 * Instants whose wall clock reads `wall` (ms as if UTC): one on ordinary days, none in a
 * spring-forward gap and two in a fall-back hour.
 */
function instantsAt(wall: number, plan: DayPlan, timeZone: string): number[] {
  const [only] = plan.offsets;
  if (plan.offsets.length === 1 && only !== undefined) return [wall - only];
  return plan.offsets
    .map((offset) => wall - offset)
    .filter((instant) => offsetAt(instant, timeZone) === wall - instant);
}

/**
 * The latest time the cron fired in (`after`, `atOrBefore`], to the minute, or undefined. Steps
 * back over the days the schedule allows and, on those, over its own hours and minutes (latest
 * first), so a 7-day window costs a few dozen time-zone conversions instead of 10,080.
 */
export function previousFireTime(
  cron: CronExpression,
  timeZone: string,
  atOrBefore: Date,
  after: Date,
): Date | undefined {
  const last = Math.floor(atOrBefore.getTime() / minuteMs) * minuteMs;
  const first = after.getTime();
  if (last <= first) return undefined;
  const today = zonedParts(new Date(last), timeZone);
  let best: number | undefined;
  let bestBack = 0;
  // Local days are scanned newest first. Within a day candidates are not always in instant order
  // (a fall-back hour repeats), so the best of the day is kept, and one earlier day is still
  // scanned for zones whose clocks go back across midnight.
  for (let back = 0; best === undefined || back <= bestBack + 1; back++) {
    const plan = dayPlan(today.year, today.month, today.day, back, timeZone);
    // The day's last instant is a day before `first`: nothing this early can qualify.
    if (plan.wallMidnight + dayMs - Math.min(...plan.offsets) < first - dayMs) break;
    if (!cron.matchesDay(plan.day)) continue;
    for (let h = cron.hours.length - 1; h >= 0; h--) {
      for (let m = cron.minutes.length - 1; m >= 0; m--) {
        const wall =
          plan.wallMidnight + (cron.hours[h] ?? 0) * hourMs + (cron.minutes[m] ?? 0) * minuteMs;
        for (const instant of instantsAt(wall, plan, timeZone)) {
          if (instant <= last && instant > first && (best === undefined || instant > best)) {
            if (best === undefined) bestBack = back;
            best = instant;
          }
        }
      }
    }
  }
  return best === undefined ? undefined : new Date(best);
}

/**
 * The window (cron start + duration) that contains `now`, if any: it started at a fire time in
 * the last `durationMinutes` (to the minute) and has not ended.
 */
export function activeWindow(
  cron: CronExpression,
  durationMinutes: number,
  timeZone: string,
  now: Date,
): ActiveWindow | undefined {
  const minuteStart = Math.floor(now.getTime() / minuteMs) * minuteMs;
  const start = previousFireTime(
    cron,
    timeZone,
    new Date(minuteStart),
    new Date(minuteStart - durationMinutes * minuteMs),
  );
  if (!start) return undefined;
  return { startedAt: start, endsAt: new Date(start.getTime() + durationMinutes * minuteMs) };
}
