import { describe, expect, it } from 'vitest';
import { remainingBudget } from '../../lib/shared/abort.ts';

describe('remainingBudget', () => {
  it('subtracts the time already spent and the margin', () => {
    const left = remainingBudget(20_000, new Date(Date.now() - 5_000), 50)();
    expect(left).toBeGreaterThan(14_000);
    expect(left).toBeLessThanOrEqual(14_950);
  });

  it('treats a clock far from now as just started, and never goes below 1 ms', () => {
    const fixed = remainingBudget(20_000, new Date('2026-11-22T01:00:00Z'), 50)();
    expect(fixed).toBeGreaterThan(19_000);
    expect(fixed).toBeLessThanOrEqual(19_950);
    expect(remainingBudget(100, new Date(), 500)()).toBe(1);
  });
});
