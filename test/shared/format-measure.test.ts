import { describe, expect, it } from 'vitest';
import { formatMeasure, formatNumber } from '../../lib/shared/format-measure.ts';

describe('formatNumber', () => {
  it.each([
    [12_403, '12,403'],
    [5000, '5,000'],
    [1_234_567.8, '1,234,568'],
    [212.4, '212'],
    [5.678, '5.68'],
    [0.00123, '0.00123'],
    [0, '0'],
    [-15_000, '-15,000'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
  ])('%s -> %s', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });
});

describe('formatMeasure', () => {
  it.each([
    [12.34, 'percent', '12.3%'],
    [0.001, 'ratio', '0.1%'],
    [0.0052, 'ratio', '0.52%'],
    [212, 'ms', '212 ms'],
    [0.5, 'ms', '0.5 ms'],
    [1500, 'ms', '1.5 s'],
    [0.212, 's', '212 ms'],
    [90, 's', '1m30s'],
    [13 * 1024 ** 3, 'bytes', '13 GiB'],
    [12_403, 'count', '12,403'],
    [12_403, undefined, '12,403'],
  ] as const)('%s %s -> %s', (value, unit, text) => {
    expect(formatMeasure(value, unit)).toBe(text);
  });
});
