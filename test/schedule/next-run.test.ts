import { describe, expect, it } from 'vitest';
import { formatNextRun, instantOfWallTime, nextRun } from '../../lib/schedule/next-run.ts';

const hcm = 'Asia/Ho_Chi_Minh';

describe('nextRun', () => {
  it.each([
    // 07:30 in Ho Chi Minh City: today's 08:00 is next.
    ['cron(0 8 * * ? *)', hcm, '2026-11-22T00:30:00Z', '2026-11-22T01:00:00.000Z'],
    // Exactly at 08:00: that run is happening now, the next one is tomorrow.
    ['cron(0 8 * * ? *)', hcm, '2026-11-22T01:00:00Z', '2026-11-23T01:00:00.000Z'],
    // A minute inside a quarter hour (fire times are not rounded to 15 minutes).
    ['cron(7 8 * * ? *)', hcm, '2026-11-22T01:03:00Z', '2026-11-22T01:07:00.000Z'],
    // First Saturday of the month, 02:00: December 2026 starts on a Tuesday.
    ['cron(0 2 ? * SAT#1 *)', hcm, '2026-11-22T00:00:00Z', '2026-12-04T19:00:00.000Z'],
    // Yearly: beyond the short horizon.
    ['cron(0 0 1 1 ? *)', hcm, '2026-02-01T00:00:00Z', '2026-12-31T17:00:00.000Z'],
    // 02:30 does not exist in New York on 2026-03-08 (clocks jump to 03:00).
    ['cron(30 2 * * ? *)', 'America/New_York', '2026-03-08T05:00:00Z', '2026-03-09T06:30:00.000Z'],
    ['at(2026-12-24T20:00:00)', hcm, '2026-11-22T00:00:00Z', '2026-12-24T13:00:00.000Z'],
  ])('%s in %s after %s -> %s', (expression, zone, from, expected) => {
    expect(nextRun(expression, zone, new Date(from)).at?.toISOString()).toBe(expected);
  });

  it('has no next run for a past year or a past at()', () => {
    expect(nextRun('cron(0 8 1 1 ? 2020)', hcm, new Date('2026-11-22T00:00:00Z'))).toEqual({
      certainty: 'none',
    });
    expect(nextRun('at(2026-01-01T00:00:00)', hcm, new Date('2026-11-22T00:00:00Z')).at).toBe(
      undefined,
    );
  });

  it('estimates rate() schedules from the last run and says so', () => {
    const now = new Date('2026-11-22T01:20:00Z');
    const next = nextRun('rate(15 minutes)', hcm, now, new Date('2026-11-22T00:50:00Z'));
    expect(next).toEqual({
      at: new Date('2026-11-22T01:35:00Z'),
      certainty: 'estimated',
      everyMinutes: 15,
    });
    expect(nextRun('rate(15 minutes)', hcm, now)).toEqual({ certainty: 'none', everyMinutes: 15 });
  });

  it('formats the next run in the zone, with the offset and how far away it is', () => {
    const now = new Date('2026-11-22T06:00:00Z');
    expect(formatNextRun(nextRun('cron(0 8 * * ? *)', hcm, now), hcm, now)).toBe(
      '2026-11-23 08:00 +07:00 (in 19h)',
    );
    expect(
      formatNextRun(nextRun('rate(1 hour)', hcm, now, new Date('2026-11-22T05:30:00Z')), hcm, now),
    ).toBe('~2026-11-22 13:30 +07:00 (every hour)');
    expect(formatNextRun(nextRun('rate(2 days)', hcm, now), hcm, now)).toBe('every 2 days');
  });
});

describe('instantOfWallTime', () => {
  it('converts wall time in a zone to UTC, across offsets', () => {
    expect(
      instantOfWallTime({ year: 2026, month: 7, day: 1, hour: 9, minute: 30 }, 'America/New_York'),
    ).toEqual(new Date('2026-07-01T13:30:00Z'));
    expect(
      instantOfWallTime({ year: 2026, month: 1, day: 1, hour: 9, minute: 30 }, 'America/New_York'),
    ).toEqual(new Date('2026-01-01T14:30:00Z'));
  });
});
