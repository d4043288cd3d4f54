import { describe, expect, it } from 'vitest';
import { activeWindow } from '../../lib/schedule/maintenance-window.ts';
import {
  type CronExpression,
  cronMatches,
  parseScheduleExpression,
} from '../../lib/schedule/schedule-expression.ts';

function cron(text: string): CronExpression {
  const parsed = parseScheduleExpression(text);
  if (parsed.kind !== 'cron') throw new Error('not cron');
  return parsed.cron;
}

describe('schedule expressions', () => {
  it.each([
    'cron(0 8 * * ? *)',
    'cron(0 9 ? * MON *)',
    'cron(0 2 ? * SAT#1 *)',
    'cron(0/15 * * * ? *)',
    'cron(0 17 L * ? *)',
    'cron(0 6 15W * ? 2026-2030)',
    'cron(30 1 ? JAN-MAR 6L *)',
    'rate(5 minutes)',
    'rate(1 day)',
    'at(2026-12-01T08:00:00)',
  ])('accepts %s', (text) => {
    expect(() => parseScheduleExpression(text)).not.toThrow();
  });

  it.each([
    ['0 8 * * ? *', /expected cron/],
    ['cron(0 8 * * *)', /6 fields/],
    ['cron(0 8 * * MON *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 8 ? * ? *)', /exactly one of/],
    ['cron(60 8 * * ? *)', /minutes: 60 is out of range/],
    ['cron(0 24 * * ? *)', /hours: 24 is out of range/],
    ['cron(0 8 * 13 ? *)', /month: 13/],
    ['cron(0 8 ? * FUNDAY *)', /day-of-week: "FUNDAY"/],
    ['cron(0 8 * * ? 1969)', /year: 1969/],
    ['rate(1 minutes)', /rate\(1 minute\)/],
    ['rate(5 minute)', /rate\(5 minutes\)/],
    ['rate(0 hours)', /at least 1/],
    ['rate(5 weeks)', /rate must look like/],
    ['at(tomorrow)', /yyyy-mm-dd/],
  ])('rejects %s', (text, message) => {
    expect(() => parseScheduleExpression(text)).toThrow(message);
  });

  it('matches in the given time zone, not UTC', () => {
    const eightAmHcm = new Date('2026-11-22T01:00:00Z');
    expect(cronMatches(cron('cron(0 8 * * ? *)'), eightAmHcm, 'Asia/Ho_Chi_Minh')).toBe(true);
    expect(cronMatches(cron('cron(0 8 * * ? *)'), eightAmHcm, 'UTC')).toBe(false);
  });

  it('understands first Saturday, last day, nearest weekday and last Friday', () => {
    const utc = 'UTC';
    expect(cronMatches(cron('cron(0 2 ? * SAT#1 *)'), new Date('2026-11-07T02:00:00Z'), utc)).toBe(
      true,
    );
    expect(cronMatches(cron('cron(0 2 ? * SAT#1 *)'), new Date('2026-11-14T02:00:00Z'), utc)).toBe(
      false,
    );
    expect(cronMatches(cron('cron(0 0 L * ? *)'), new Date('2026-02-28T00:00:00Z'), utc)).toBe(
      true,
    );
    expect(cronMatches(cron('cron(0 0 L * ? *)'), new Date('2026-03-30T00:00:00Z'), utc)).toBe(
      false,
    );
    // 2026-11-15 is a Sunday: 15W fires on Monday the 16th.
    expect(cronMatches(cron('cron(0 0 15W * ? *)'), new Date('2026-11-16T00:00:00Z'), utc)).toBe(
      true,
    );
    expect(cronMatches(cron('cron(0 0 15W * ? *)'), new Date('2026-11-15T00:00:00Z'), utc)).toBe(
      false,
    );
    expect(cronMatches(cron('cron(0 0 ? * 6L *)'), new Date('2026-11-27T00:00:00Z'), utc)).toBe(
      true,
    );
    expect(cronMatches(cron('cron(0 0 ? * 6L *)'), new Date('2026-11-20T00:00:00Z'), utc)).toBe(
      false,
    );
  });

  it('finds the maintenance window that contains an instant', () => {
    const firstSaturday = cron('cron(0 2 ? * SAT#1 *)');
    const tz = 'Asia/Ho_Chi_Minh';
    // 2026-12-05 is the first Saturday of December; 03:30 local is 20:30Z on the 4th.
    const inside = activeWindow(firstSaturday, 240, tz, new Date('2026-12-04T20:30:00Z'));
    expect(inside?.startedAt.toISOString()).toBe('2026-12-04T19:00:00.000Z');
    expect(inside?.endsAt.toISOString()).toBe('2026-12-04T23:00:00.000Z');
    expect(activeWindow(firstSaturday, 240, tz, new Date('2026-12-04T23:00:00Z'))).toBeUndefined();
    expect(activeWindow(firstSaturday, 240, tz, new Date('2026-12-11T20:30:00Z'))).toBeUndefined();
  });
});

/** The old definition, minute by minute: the reference the stepping search must agree with. */
function startByMinuteWalk(
  expression: CronExpression,
  durationMinutes: number,
  timeZone: string,
  now: Date,
): string | undefined {
  const minuteStart = Math.floor(now.getTime() / 60_000) * 60_000;
  for (let back = 0; back < durationMinutes; back++) {
    const start = new Date(minuteStart - back * 60_000);
    if (cronMatches(expression, start, timeZone)) return start.toISOString();
  }
  return undefined;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure is reproducible. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('maintenance windows step over the schedule fields', () => {
  const crons = [
    'cron(0 2 ? * SAT#1 *)',
    'cron(30 1 ? * SUN *)',
    'cron(0/20 * * * ? *)',
    'cron(15 2,3 * * ? *)',
    'cron(0 0 L * ? *)',
    'cron(0 6 15W * ? *)',
    'cron(45 23 ? * 6L *)',
    'cron(0 1 * 3,10,11 ? 2026-2027)',
    'cron(* 2 * * ? *)',
  ];
  // DST zones (US, Europe, a 30-minute DST, a southern one), a fixed one, and UTC.
  const zones = [
    'America/New_York',
    'Europe/London',
    'Australia/Lord_Howe',
    'America/Santiago',
    'Asia/Ho_Chi_Minh',
    'UTC',
  ];
  // Around the 2026 DST changes (March, April, October, November) and ordinary days.
  const anchors = [
    '2026-03-08',
    '2026-03-29',
    '2026-04-05',
    '2026-10-04',
    '2026-10-25',
    '2026-11-01',
    '2026-12-05',
  ];

  it('agrees with the minute-by-minute walk across zones, DST changes and durations', () => {
    const next = random(18);
    let compared = 0;
    let inside = 0;
    for (const text of crons) {
      const expression = cron(text);
      for (const zone of zones) {
        // Three of the anchors per cron and zone keep the minute-by-minute reference affordable.
        for (let sample = 0; sample < 3; sample++) {
          const anchor = anchors[Math.floor(next() * anchors.length)];
          const now = new Date(
            Date.parse(`${anchor}T00:00:00Z`) + Math.floor(next() * 3 * 86_400_000),
          );
          const duration = 1 + Math.floor(next() * 1440);
          const expected = startByMinuteWalk(expression, duration, zone, now);
          const got = activeWindow(expression, duration, zone, now)?.startedAt.toISOString();
          expect({ text, zone, now: now.toISOString(), duration, got }).toEqual({
            text,
            zone,
            now: now.toISOString(),
            duration,
            got: expected,
          });
          compared++;
          if (expected) inside++;
        }
      }
    }
    // The sample exercised both answers, not just one.
    expect(compared).toBe(crons.length * zones.length * 3);
    expect(inside).toBeGreaterThan(compared / 5);
    expect(compared - inside).toBeGreaterThan(compared / 10);
  });

  it('finds the start of a 7-day window and reports its end', () => {
    const weekly = cron('cron(0 2 ? * SAT#1 *)');
    const tz = 'Asia/Ho_Chi_Minh';
    // Opened Saturday 2026-12-05 02:00 local (19:00Z on the 4th); still open on the 10th.
    const window = activeWindow(weekly, 7 * 24 * 60, tz, new Date('2026-12-10T12:00:00Z'));
    expect(window?.startedAt.toISOString()).toBe('2026-12-04T19:00:00.000Z');
    expect(window?.endsAt.toISOString()).toBe('2026-12-11T19:00:00.000Z');
    expect(activeWindow(weekly, 7 * 24 * 60, tz, new Date('2026-12-11T19:00:00Z'))).toBeUndefined();
    expect(startByMinuteWalk(weekly, 7 * 24 * 60, tz, new Date('2026-12-10T12:00:00Z'))).toBe(
      '2026-12-04T19:00:00.000Z',
    );
  });

  it('in a fall-back hour takes the later of the two 01:30s, and skips a time the clock jumps over', () => {
    const halfPastOne = cron('cron(30 1 * * ? *)');
    const ny = 'America/New_York';
    // 2026-11-01: 01:30 EDT is 05:30Z, 01:30 EST is 06:30Z.
    expect(
      activeWindow(halfPastOne, 120, ny, new Date('2026-11-01T06:45:00Z'))?.startedAt.toISOString(),
    ).toBe('2026-11-01T06:30:00.000Z');
    expect(
      activeWindow(halfPastOne, 120, ny, new Date('2026-11-01T06:00:00Z'))?.startedAt.toISOString(),
    ).toBe('2026-11-01T05:30:00.000Z');
    // 2026-03-08 02:30 does not exist in New York.
    const halfPastTwo = cron('cron(30 2 * * ? *)');
    expect(activeWindow(halfPastTwo, 180, ny, new Date('2026-03-08T09:00:00Z'))).toBeUndefined();
  });
});
