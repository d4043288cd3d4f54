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
