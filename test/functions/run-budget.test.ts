import { describe, expect, it } from 'vitest';
import { deliveryDeadline, runBudgetMs } from '../../functions/runner/run-budget.ts';

describe('deliveryDeadline', () => {
  it.each([
    { name: 'a 5-minute invocation keeps 10 s to record', remainingMs: 300_000, keptMs: 10_000 },
    { name: 'a 1-minute invocation keeps 3 s', remainingMs: 60_000, keptMs: 3_000 },
    { name: 'a short one still keeps 2 s', remainingMs: 8_000, keptMs: 2_000 },
  ])('$name', ({ remainingMs, keptMs }) => {
    expect(deliveryDeadline(1_000_000, remainingMs)).toBe(1_000_000 - keptMs);
  });

  it('falls inside the recording margin a 5-minute run leaves after its checks', () => {
    const remainingMs = 300_000;
    const recordingEnds = remainingMs - 1_000;
    const checksEnd = runBudgetMs(remainingMs);
    const deadline = deliveryDeadline(recordingEnds, remainingMs);
    expect(deadline).toBeGreaterThan(checksEnd);
    expect(deadline).toBeLessThan(recordingEnds);
  });
});
