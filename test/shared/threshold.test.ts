import { describe, expect, it } from 'vitest';
import {
  breaches,
  compareWorse,
  describeThresholds,
  levelOf,
  pastRecover,
} from '../../lib/shared/threshold.ts';

describe('thresholds', () => {
  it.each([
    [12_000, '>', { warning: 1000, critical: 5000 }, 'critical'],
    [3000, '>', { warning: 1000, critical: 5000 }, 'warning'],
    [5000, '>', { critical: 5000 }, 'ok'],
    [5000, '>=', { critical: 5000 }, 'critical'],
    [0, '<', { critical: 1 }, 'critical'],
    [1, '<=', { warning: 1 }, 'warning'],
    [0, '==', { critical: 0 }, 'critical'],
    [2, '!=', { warning: 1 }, 'warning'],
    [Number.NaN, '!=', { warning: 1 }, 'ok'],
  ] as const)('%s %s %o is %s', (value, op, limits, level) => {
    expect(levelOf(value, { op, ...limits })).toBe(level);
  });

  it('recover is strictly past the value in the healthy direction', () => {
    expect(pastRecover(999, '>', 1000)).toBe(true);
    expect(pastRecover(1000, '>', 1000)).toBe(false);
    expect(pastRecover(6, '<', 5)).toBe(true);
    expect(pastRecover(5, '<', 5)).toBe(false);
    expect(breaches(1, '==', 1)).toBe(true);
  });

  it('orders worst first for the direction, NaN last', () => {
    expect([3, Number.NaN, 12, 7].sort(compareWorse('>'))).toEqual([12, 7, 3, Number.NaN]);
    expect([3, 12, 7].sort(compareWorse('<'))).toEqual([3, 7, 12]);
    expect([3, 12, 7].sort(compareWorse('=='))).toEqual([3, 12, 7]);
  });

  it('describes the limits with the value formatter', () => {
    expect(describeThresholds({ op: '>', warning: 1000, critical: 5000 }, (v) => `${v}!`)).toBe(
      'warning > 1000!, critical > 5000!',
    );
  });
});
