import { formatBytes } from './format-bytes.ts';
import { formatElapsed } from './format-duration.ts';

/**
 * How a measured number is shown in summaries: the metric and query checks' `unit` field.
 * `percent` is 0-100, `ratio` 0-1 (shown as a percent), `ms`/`s` durations, `bytes` binary sizes.
 */
export const measureUnits = ['percent', 'ratio', 'ms', 's', 'bytes', 'count'] as const;
export type MeasureUnit = (typeof measureUnits)[number];

const integers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const small = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

/**
 * A plain number for people: thousands separators, whole numbers from 1,000 up, three
 * significant digits below (12,403; 212; 5.68; 0.00123).
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return Math.abs(value) >= 1000 ? integers.format(value) : small.format(value);
}

export function formatMeasure(value: number, unit?: MeasureUnit): string {
  if (!Number.isFinite(value)) return formatNumber(value);
  switch (unit) {
    case 'percent':
      return `${formatNumber(value)}%`;
    case 'ratio':
      return `${formatNumber(value * 100)}%`;
    case 'ms':
      return value < 1 && value > 0 ? `${formatNumber(value)} ms` : formatElapsed(value);
    case 's':
      return value < 0.001 && value > 0
        ? `${formatNumber(value * 1000)} ms`
        : formatElapsed(value * 1000);
    case 'bytes':
      return formatBytes(value);
    default:
      return formatNumber(value);
  }
}
