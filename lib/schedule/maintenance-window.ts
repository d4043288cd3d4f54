import { type CronExpression, cronMatches } from './schedule-expression.ts';

const minuteMs = 60_000;

export interface ActiveWindow {
  readonly startedAt: Date;
  readonly endsAt: Date;
}

/**
 * The window (cron start + duration) that contains `now`, if any. Walks back minute by minute
 * over the duration, which is cheap for realistic windows (a day is 1,440 steps).
 */
export function activeWindow(
  cron: CronExpression,
  durationMinutes: number,
  timeZone: string,
  now: Date,
): ActiveWindow | undefined {
  const minuteStart = Math.floor(now.getTime() / minuteMs) * minuteMs;
  for (let back = 0; back < durationMinutes; back++) {
    const start = new Date(minuteStart - back * minuteMs);
    if (cronMatches(cron, start, timeZone)) {
      return { startedAt: start, endsAt: new Date(start.getTime() + durationMinutes * minuteMs) };
    }
  }
  return undefined;
}
