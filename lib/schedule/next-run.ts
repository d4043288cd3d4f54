import { formatDuration } from '../shared/format-duration.ts';
import { formatZonedTime } from '../shared/format-time.ts';
import { fireTimes } from './period.ts';
import { parseScheduleExpression } from './schedule-expression.ts';
import { zonedParts } from './zoned-time.ts';

const minuteMs = 60_000;

/** When a suite runs next, and how sure that is. */
export interface NextRun {
  /** The next fire time, when it can be known. */
  readonly at?: Date;
  /**
   * `exact` for cron and at(); `estimated` for rate(), whose phase is set by when the schedule was
   * created (the last recorded run is used); `none` when it never runs again or the phase is unknown.
   */
  readonly certainty: 'exact' | 'estimated' | 'none';
  /** For rate(): the interval, for "every 15 minutes" when no estimate is possible. */
  readonly everyMinutes?: number;
}

/** The UTC instant of wall time `y-m-d h:mi` in `timeZone` (the earlier one in a DST overlap). */
export function instantOfWallTime(
  wall: { year: number; month: number; day: number; hour: number; minute: number },
  timeZone: string,
): Date {
  const target = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  let guess = target;
  // Two corrections converge for every real zone (offsets change at most once near an instant).
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(new Date(guess), timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess += target - shown;
  }
  return new Date(guess);
}

/**
 * The first run strictly after `from` of an EventBridge Scheduler expression in `timeZone`.
 * Cron expressions are stepped minute by minute (a quarter hour per time-zone conversion) over up
 * to ~13 months, so monthly `SAT#1` and yearly schedules are found.
 */
export function nextRun(
  expression: string,
  timeZone: string,
  from: Date,
  lastRunAt?: Date,
): NextRun {
  const parsed = parseScheduleExpression(expression);
  if (parsed.kind === 'cron') {
    const after = new Date(Math.floor(from.getTime() / minuteMs) * minuteMs + minuteMs);
    let times = fireTimes(parsed.cron, timeZone, after, 40, 1);
    if (times.length === 0) times = fireTimes(parsed.cron, timeZone, after, 400, 1);
    const first = times[0];
    return first === undefined
      ? { certainty: 'none' }
      : { at: new Date(first), certainty: 'exact' };
  }
  if (parsed.kind === 'rate') {
    const every = parsed.minutes * minuteMs;
    if (!lastRunAt) return { certainty: 'none', everyMinutes: parsed.minutes };
    const steps = Math.max(1, Math.ceil((from.getTime() - lastRunAt.getTime() + 1) / every));
    return {
      at: new Date(lastRunAt.getTime() + steps * every),
      certainty: 'estimated',
      everyMinutes: parsed.minutes,
    };
  }
  const [date = '', time = ''] = parsed.at.split('T');
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const at = instantOfWallTime(
    { year: year ?? 0, month: month ?? 1, day: day ?? 1, hour: hour ?? 0, minute: minute ?? 0 },
    timeZone,
  );
  return at.getTime() > from.getTime() ? { at, certainty: 'exact' } : { certainty: 'none' };
}

function every(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? 'every day' : `every ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? 'every hour' : `every ${minutes / 60} hours`;
  return minutes === 1 ? 'every minute' : `every ${minutes} minutes`;
}

/**
 * For people: "2026-11-23 08:00 +07:00 (in 19h)", "~2026-11-22 08:15 +07:00 (every 15 minutes)",
 * "every 15 minutes" or "none (one-time schedule passed)".
 */
export function formatNextRun(next: NextRun, timeZone: string, now: Date): string {
  if (!next.at) {
    return next.everyMinutes ? every(next.everyMinutes) : 'none (the schedule has no later run)';
  }
  const when = formatZonedTime(next.at, timeZone);
  if (next.certainty === 'estimated' && next.everyMinutes) {
    return `~${when} (${every(next.everyMinutes)})`;
  }
  return `${when} (in ${formatDuration(next.at.getTime() - now.getTime())})`;
}
