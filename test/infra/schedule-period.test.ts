import { describe, expect, it } from 'vitest';
import { missedRunWindow } from '../../lib/infra/missed-run-alarm.ts';
import { longestScheduleGapMinutes } from '../../lib/schedule/period.ts';

const from = new Date('2026-01-05T00:00:00Z');
const hcm = 'Asia/Ho_Chi_Minh';

describe('longest gap between runs of a schedule', () => {
  it.each([
    ['cron(0 8 * * ? *)', 24 * 60],
    ['cron(0 8,17 * * ? *)', 15 * 60],
    ['cron(0 9 ? * MON *)', 7 * 24 * 60],
    ['cron(0/15 * * * ? *)', 15],
    ['rate(15 minutes)', 15],
    ['rate(2 hours)', 120],
  ])('%s -> %i minutes', (expression, minutes) => {
    expect(longestScheduleGapMinutes(expression, hcm, from)).toBe(minutes);
  });

  it('sees the five-week gap of a first-Saturday schedule', () => {
    expect(longestScheduleGapMinutes('cron(0 2 ? * SAT#1 *)', hcm, from)).toBe(35 * 24 * 60);
  });

  it('counts the extra hour of a DST fall-back day in zones that have one', () => {
    const autumn = new Date('2026-10-15T00:00:00Z');
    expect(longestScheduleGapMinutes('cron(0 8 * * ? *)', 'America/New_York', autumn)).toBe(
      25 * 60,
    );
  });

  it('has no period for one-shot and expired schedules', () => {
    expect(longestScheduleGapMinutes('at(2026-12-01T08:00:00)', hcm, from)).toBeUndefined();
    expect(longestScheduleGapMinutes('cron(0 8 1 1 ? 2020)', hcm, from)).toBeUndefined();
  });
});

describe('missed-run alarm window', () => {
  it('uses 5-minute periods under 6 hours and hourly ones above, within the 7-day limit', () => {
    expect(missedRunWindow(15, 60)).toMatchObject({ evaluationPeriods: 15 });
    expect(missedRunWindow(24 * 60, 60)).toMatchObject({ evaluationPeriods: 25 });
    expect(missedRunWindow(7 * 24 * 60, 60)).toMatchObject({ evaluationPeriods: 168 });
    expect(missedRunWindow(35 * 24 * 60, 60)).toBeUndefined();
    expect(missedRunWindow(undefined, 60)).toBeUndefined();
  });
});
