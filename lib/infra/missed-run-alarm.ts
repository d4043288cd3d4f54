import { Duration } from 'aws-cdk-lib';

/**
 * How a "suite has not completed" alarm is shaped: every period in the window must be empty of
 * SuiteCompleted data for the alarm to fire, so the window is the suite's longest normal silence
 * plus grace. CloudWatch caps the window at 7 days (1 day for periods under an hour), so suites
 * that run less often than weekly get no such alarm.
 */
export interface MissedRunWindow {
  readonly period: Duration;
  readonly evaluationPeriods: number;
}

const maxWindowMinutes = 7 * 24 * 60;

export function missedRunWindow(
  longestGapMinutes: number | undefined,
  graceMinutes: number,
): MissedRunWindow | undefined {
  if (longestGapMinutes === undefined) return undefined;
  if (longestGapMinutes > maxWindowMinutes) return undefined;
  // A weekly suite fits exactly: hourly buckets still hold last week's run until this week's lands.
  const window = Math.min(longestGapMinutes + graceMinutes, maxWindowMinutes);
  if (window < 6 * 60) {
    const periodMinutes = 5;
    return {
      period: Duration.minutes(periodMinutes),
      evaluationPeriods: Math.ceil(window / periodMinutes),
    };
  }
  return { period: Duration.hours(1), evaluationPeriods: Math.ceil(window / 60) };
}
