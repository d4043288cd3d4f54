import type { CheckResult } from '../../core/result.ts';
import { formatDuration } from '../../shared/format-duration.ts';
import { formatNumber } from '../../shared/format-measure.ts';
import type { Level } from '../../shared/threshold.ts';

/** A value this check recorded, to compare the next run's with. */
export interface RecordedValue {
  readonly value: number;
  readonly at: string;
  /** Identifies the query that measured it: a changed query starts a new baseline. */
  readonly query: string;
}

export interface GrowthLimits {
  readonly warningPercent?: number | undefined;
  readonly criticalPercent?: number | undefined;
}

export interface GrowthJudgement {
  readonly level: Level;
  /** `+15.2% since the previous run 7d ago (warning at +10%)`, or why there is no comparison. */
  readonly text: string;
  readonly details: Record<string, unknown>;
}

function recordedFrom(value: unknown): RecordedValue | undefined {
  const v = value as Partial<RecordedValue> | undefined;
  return typeof v?.value === 'number' && typeof v.at === 'string' && typeof v.query === 'string'
    ? (v as RecordedValue)
    : undefined;
}

/**
 * The baseline for growth: the previous run's value, or, when that run failed to measure, the
 * last value it carried forward (so one unreachable run does not reset the comparison).
 */
export function baselineFrom(previous: CheckResult | undefined): RecordedValue | undefined {
  if (!previous) return undefined;
  return (
    recordedFrom(previous.details['measured']) ?? recordedFrom(previous.details['lastMeasured'])
  );
}

function levelFor(percent: number, limits: GrowthLimits): Level {
  if (limits.criticalPercent !== undefined && percent >= limits.criticalPercent) return 'critical';
  if (limits.warningPercent !== undefined && percent >= limits.warningPercent) return 'warning';
  return 'ok';
}

function describeLimits(limits: GrowthLimits): string {
  const parts: string[] = [];
  if (limits.warningPercent !== undefined) parts.push(`warning at +${limits.warningPercent}%`);
  if (limits.criticalPercent !== undefined) parts.push(`critical at +${limits.criticalPercent}%`);
  return parts.join(', ');
}

/** Growth of `current` over the recorded baseline, rated against the limits. */
export function judgeGrowth(
  current: RecordedValue,
  baseline: RecordedValue | undefined,
  limits: GrowthLimits,
): GrowthJudgement {
  const limitText = describeLimits(limits);
  if (!baseline) {
    return {
      level: 'ok',
      text: `growth: no previous value to compare with yet (${limitText})`,
      details: { growthPercent: null },
    };
  }
  if (baseline.query !== current.query) {
    return {
      level: 'ok',
      text: `growth: the query changed since the previous value; comparing from this run on (${limitText})`,
      details: { growthPercent: null },
    };
  }
  const ago = formatDuration(Date.parse(current.at) - Date.parse(baseline.at));
  const since = `since the previous value ${ago} ago`;
  const details = { previousValue: baseline.value, previousAt: baseline.at };
  if (baseline.value === 0) {
    const level = current.value > 0 ? levelFor(Number.POSITIVE_INFINITY, limits) : 'ok';
    return {
      level,
      text: `${current.value > 0 ? `grew from 0 ${since}` : `still 0 ${since}`} (${limitText})`,
      details: { ...details, growthPercent: null },
    };
  }
  const percent = ((current.value - baseline.value) * 100) / Math.abs(baseline.value);
  const rounded = Math.round(percent * 10) / 10;
  const sign = rounded > 0 ? '+' : '';
  return {
    level: levelFor(percent, limits),
    text: `${sign}${formatNumber(rounded)}% ${since} (${limitText})`,
    details: { ...details, growthPercent: rounded },
  };
}
