import { describe, expect, it } from 'vitest';
import { cronFireTimes } from '../../lib/schedule/fire-times.ts';
import { overdueRun } from '../../lib/schedule/overdue.ts';
import { parseScheduleExpression } from '../../lib/schedule/schedule-expression.ts';

const hour = 3_600_000;
const allowanceMs = 2 * hour;
const iso = (text: string) => new Date(text);

type Case = readonly [
  name: string,
  expression: string,
  timeZone: string,
  lastCompleted: string | undefined,
  now: string,
  missed: string | undefined,
];

// Every case: watching since 2026-01-01, allowance 2 h after the scheduled time.
const cases: readonly Case[] = [
  // daily 08:00 in Ho Chi Minh City (UTC+7, no DST) = 01:00Z
  [
    'daily, ran today',
    'cron(0 8 * * ? *)',
    'Asia/Ho_Chi_Minh',
    '2026-03-10T01:00:00Z',
    '2026-03-10T05:00:00Z',
    undefined,
  ],
  [
    'daily, today still within allowance',
    'cron(0 8 * * ? *)',
    'Asia/Ho_Chi_Minh',
    '2026-03-09T01:00:00Z',
    '2026-03-10T02:59:00Z',
    undefined,
  ],
  [
    'daily, today missed',
    'cron(0 8 * * ? *)',
    'Asia/Ho_Chi_Minh',
    '2026-03-09T01:00:00Z',
    '2026-03-10T03:00:00Z',
    '2026-03-10T01:00:00Z',
  ],
  [
    'daily, missed for days: the first miss',
    'cron(0 8 * * ? *)',
    'Asia/Ho_Chi_Minh',
    '2026-03-06T01:00:00Z',
    '2026-03-10T05:00:00Z',
    '2026-03-07T01:00:00Z',
  ],
  // daily 08:00 in New York across the spring change (8 March 2026: EST -5 -> EDT -4)
  [
    'daily across spring DST, ran',
    'cron(0 8 * * ? *)',
    'America/New_York',
    '2026-03-08T12:00:00Z',
    '2026-03-08T15:00:00Z',
    undefined,
  ],
  [
    'daily across spring DST, 08:00 EDT missed',
    'cron(0 8 * * ? *)',
    'America/New_York',
    '2026-03-07T13:00:00Z',
    '2026-03-08T14:30:00Z',
    '2026-03-08T12:00:00Z',
  ],
  // a 02:30 run on the spring-forward day does not exist: Scheduler skips it, nothing is due
  [
    '02:30 skipped by the spring change',
    'cron(30 2 * * ? *)',
    'Europe/Berlin',
    '2026-03-28T01:30:00Z',
    '2026-03-29T05:00:00Z',
    undefined,
  ],
  [
    '02:30 the day after the spring change',
    'cron(30 2 * * ? *)',
    'Europe/Berlin',
    '2026-03-28T01:30:00Z',
    '2026-03-30T03:00:00Z',
    '2026-03-30T00:30:00Z',
  ],
  // 02:30 on the autumn change happens twice on the wall clock: Scheduler runs it once
  [
    '02:30 repeated by the autumn change runs once',
    'cron(30 2 * * ? *)',
    'Europe/Berlin',
    '2026-10-25T00:30:00Z',
    '2026-10-25T06:00:00Z',
    undefined,
  ],
  // weekly Monday 09:00 Berlin: CET (+1) in December, CEST (+2) in September
  [
    'weekly, ran this Monday (winter)',
    'cron(0 9 ? * MON *)',
    'Europe/Berlin',
    '2026-12-07T08:00:00Z',
    '2026-12-08T12:00:00Z',
    undefined,
  ],
  [
    'weekly, this Monday missed (winter)',
    'cron(0 9 ? * MON *)',
    'Europe/Berlin',
    '2026-11-30T08:00:00Z',
    '2026-12-07T10:00:00Z',
    '2026-12-07T08:00:00Z',
  ],
  [
    'weekly across the autumn change, missed',
    'cron(0 9 ? * MON *)',
    'Europe/Berlin',
    '2026-10-19T07:00:00Z',
    '2026-10-26T10:30:00Z',
    '2026-10-26T08:00:00Z',
  ],
  [
    'weekly across the autumn change, ran',
    'cron(0 9 ? * MON *)',
    'Europe/Berlin',
    '2026-10-26T08:00:00Z',
    '2026-10-27T08:00:00Z',
    undefined,
  ],
  // monthly first Saturday 02:00 Ho Chi Minh City: 2026-12-05 (Sat) 02:00 = 2026-12-04T19:00Z
  [
    'monthly SAT#1, ran in November, not yet due',
    'cron(0 2 ? * SAT#1 *)',
    'Asia/Ho_Chi_Minh',
    '2026-11-06T19:00:00Z',
    '2026-12-04T20:00:00Z',
    undefined,
  ],
  [
    'monthly SAT#1, December run missed',
    'cron(0 2 ? * SAT#1 *)',
    'Asia/Ho_Chi_Minh',
    '2026-11-06T19:00:00Z',
    '2026-12-04T21:00:00Z',
    '2026-12-04T19:00:00Z',
  ],
  [
    'monthly SAT#1, ran in December',
    'cron(0 2 ? * SAT#1 *)',
    'Asia/Ho_Chi_Minh',
    '2026-12-04T19:00:00Z',
    '2026-12-31T00:00:00Z',
    undefined,
  ],
  // last day of the month (L) 23:00 New York: January's run is 2026-02-01T04:00Z, February has
  // 28 days in 2026 (2026-03-01T04:00Z), March's is in summer time (2026-04-01T03:00Z)
  [
    'monthly L, February run missed',
    'cron(0 23 L * ? *)',
    'America/New_York',
    '2026-02-01T04:00:00Z',
    '2026-03-01T07:00:00Z',
    '2026-03-01T04:00:00Z',
  ],
  [
    'monthly L, not on the 28th of a 31-day month',
    'cron(0 23 L * ? *)',
    'America/New_York',
    '2026-03-01T04:00:00Z',
    '2026-03-29T07:00:00Z',
    undefined,
  ],
  [
    'monthly L across spring DST (EDT in March)',
    'cron(0 23 L * ? *)',
    'America/New_York',
    '2026-03-01T04:00:00Z',
    '2026-04-01T06:00:00Z',
    '2026-04-01T03:00:00Z',
  ],
  // never completed: due from when watching began
  [
    'never completed, first run still ahead',
    'cron(0 2 ? * SAT#1 *)',
    'Asia/Ho_Chi_Minh',
    undefined,
    '2026-01-02T00:00:00Z',
    undefined,
  ],
  [
    'never completed, first run missed',
    'cron(0 2 ? * SAT#1 *)',
    'Asia/Ho_Chi_Minh',
    undefined,
    '2026-01-03T00:00:00Z',
    '2026-01-02T19:00:00Z',
  ],
  // rate: due every N minutes after the last run
  [
    'rate, within',
    'rate(15 minutes)',
    'UTC',
    '2026-03-10T10:00:00Z',
    '2026-03-10T12:14:00Z',
    undefined,
  ],
  [
    'rate, overdue',
    'rate(15 minutes)',
    'UTC',
    '2026-03-10T10:00:00Z',
    '2026-03-10T12:16:00Z',
    '2026-03-10T10:15:00Z',
  ],
  // at(): a one-shot in the schedule's zone, across DST (Berlin summer time in July: +2)
  [
    'at(), not yet due',
    'at(2026-07-01T09:00:00)',
    'Europe/Berlin',
    undefined,
    '2026-07-01T08:00:00Z',
    undefined,
  ],
  [
    'at(), missed',
    'at(2026-07-01T09:00:00)',
    'Europe/Berlin',
    undefined,
    '2026-07-01T09:00:00Z',
    '2026-07-01T07:00:00Z',
  ],
  [
    'at(), completed',
    'at(2026-07-01T09:00:00)',
    'Europe/Berlin',
    '2026-07-01T07:00:00Z',
    '2026-07-02T00:00:00Z',
    undefined,
  ],
  [
    'at() before watching began is not expected',
    'at(2025-12-01T09:00:00)',
    'Europe/Berlin',
    undefined,
    '2026-07-02T00:00:00Z',
    undefined,
  ],
];

describe('overdue suite runs', () => {
  it.each(cases)('%s', (_name, expression, timeZone, lastCompleted, now, missed) => {
    const verdict = overdueRun({
      expression,
      timeZone,
      now: iso(now),
      ...(lastCompleted ? { lastCompleted: iso(lastCompleted) } : {}),
      watchingSince: iso('2026-01-01T00:00:00Z'),
      allowanceMs,
    });
    if (missed === undefined) expect(verdict).toEqual({ overdue: false });
    else {
      expect(verdict).toEqual({
        overdue: true,
        missed: iso(missed),
        deadline: new Date(iso(missed).getTime() + allowanceMs),
      });
    }
  });

  it('does not hold runs due before watching began against a suite', () => {
    const verdict = overdueRun({
      expression: 'cron(0 8 * * ? *)',
      timeZone: 'UTC',
      now: iso('2026-03-10T09:00:00Z'),
      lastCompleted: iso('2026-01-01T08:00:00Z'),
      watchingSince: iso('2026-03-10T06:00:00Z'),
      allowanceMs: hour,
    });
    expect(verdict).toEqual({
      overdue: true,
      missed: iso('2026-03-10T08:00:00Z'),
      deadline: iso('2026-03-10T09:00:00Z'),
    });
  });
});

describe('cron fire times', () => {
  it('fires once on the repeated autumn hour and not on the skipped spring hour', () => {
    const cron = parseScheduleExpression('cron(30 2 * * ? *)');
    if (cron.kind !== 'cron') throw new Error('expected a cron');
    const autumn = cronFireTimes(
      cron.cron,
      'Europe/Berlin',
      iso('2026-10-24T00:00:00Z'),
      iso('2026-10-27T00:00:00Z'),
    );
    expect(autumn.map((d) => d.toISOString())).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
    const spring = cronFireTimes(
      cron.cron,
      'Europe/Berlin',
      iso('2026-03-28T00:00:00Z'),
      iso('2026-03-31T00:00:00Z'),
    );
    expect(spring.map((d) => d.toISOString())).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });
});
