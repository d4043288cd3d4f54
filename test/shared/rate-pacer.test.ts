import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  idlePacer,
  pauseUntil,
  RateLimitWaitError,
  RatePacer,
  reserveSlot,
  sharedPacer,
  spacingMs,
} from '../../lib/shared/rate-pacer.ts';
import { maxInWindow } from '../support/rate-windows.ts';

describe('reserveSlot', () => {
  it.each([
    { name: 'idle: now', state: idlePacer, now: 1000, at: 1000, nextAt: 1100 },
    {
      name: 'busy: after the last slot',
      state: { nextAt: 1500, pausedUntil: 0 },
      now: 1000,
      at: 1500,
      nextAt: 1600,
    },
    {
      name: 'a slot in the past is not saved up',
      state: { nextAt: 200, pausedUntil: 0 },
      now: 1000,
      at: 1000,
      nextAt: 1100,
    },
    {
      name: 'paused: after the pause',
      state: { nextAt: 1100, pausedUntil: 3000 },
      now: 1000,
      at: 3000,
      nextAt: 3100,
    },
    {
      name: 'pause over: ignored',
      state: { nextAt: 0, pausedUntil: 900 },
      now: 1000,
      at: 1000,
      nextAt: 1100,
    },
  ])('$name', ({ state, now, at, nextAt }) => {
    const slot = reserveSlot(state, now, 100);
    expect(slot.at).toBe(at);
    expect(slot.next.nextAt).toBe(nextAt);
    expect(slot.next.pausedUntil).toBe(state.pausedUntil);
  });
});

describe('pauseUntil', () => {
  it.each([
    { name: 'starts a pause', pausedUntil: 0, until: 5000, expected: 5000 },
    { name: 'extends a shorter one', pausedUntil: 3000, until: 5000, expected: 5000 },
    { name: 'never shortens a longer one', pausedUntil: 9000, until: 5000, expected: 9000 },
  ])('$name', ({ pausedUntil, until, expected }) => {
    expect(pauseUntil({ nextAt: 0, pausedUntil }, until).pausedUntil).toBe(expected);
  });
});

describe('spacingMs', () => {
  it('spreads the limit evenly over the interval', () => {
    expect(spacingMs({ limit: 10, intervalMs: 1000 })).toBe(100);
    expect(spacingMs({ limit: 120, intervalMs: 60_000 })).toBe(500);
  });
  it('rejects a limit that is not positive', () => {
    expect(() => spacingMs({ limit: 0, intervalMs: 1000 })).toThrow(RangeError);
    expect(() => spacingMs({ limit: 5, intervalMs: Number.NaN })).toThrow(RangeError);
  });
});

describe('RatePacer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('bounds concurrent callers together: never more than the limit in any window', async () => {
    const pacer = new RatePacer({ limit: 10, intervalMs: 1000 });
    const starts: number[] = [];
    const all = Promise.all(
      Array.from({ length: 95 }, async () => {
        await pacer.acquire();
        starts.push(Date.now());
      }),
    );
    await vi.runAllTimersAsync();
    await all;
    expect(starts).toHaveLength(95);
    expect(maxInWindow(starts, 1000)).toBe(10);
    // Evenly spaced from the first start: 95 starts take 9.4 s, not more.
    expect(Math.max(...starts) - Math.min(...starts)).toBe(9400);
  });

  it('holds everyone, waiting callers included, through a pause', async () => {
    const pacer = new RatePacer({ limit: 10, intervalMs: 1000 });
    const starts: number[] = [];
    const first = pacer.acquire().then(() => starts.push(Date.now()));
    const waiting = pacer.acquire().then(() => starts.push(Date.now()));
    await first;
    pacer.pause(2000);
    const later = pacer.acquire().then(() => starts.push(Date.now()));
    await vi.runAllTimersAsync();
    await Promise.all([waiting, later]);
    expect(starts[0]).toBe(1_000_000);
    expect(Math.min(...starts.slice(1))).toBeGreaterThanOrEqual(1_002_000);
    expect(maxInWindow(starts.slice(1), 100)).toBe(1);
  });

  it('gives up at once when the slot is beyond maxWaitMs or the deadline, taking no slot', async () => {
    const pacer = new RatePacer({ limit: 1, intervalMs: 1000 });
    await pacer.acquire();
    await expect(pacer.acquire({ maxWaitMs: 500 })).rejects.toBeInstanceOf(RateLimitWaitError);
    await expect(pacer.acquire({ deadline: Date.now() + 999 })).rejects.toThrow(
      /past the deadline/,
    );
    // Neither took the slot at +1000.
    const next = pacer.acquire().then(() => Date.now());
    await vi.runAllTimersAsync();
    expect(await next).toBe(1_001_000);
  });

  it('rejects with the signal reason when it aborts, and gives the last slot back', async () => {
    const pacer = new RatePacer({ limit: 1, intervalMs: 1000 });
    await pacer.acquire();
    const controller = new AbortController();
    const waiting = pacer.acquire({ signal: controller.signal });
    controller.abort(new Error('budget over'));
    await expect(waiting).rejects.toThrow('budget over');
    const next = pacer.acquire().then(() => Date.now());
    await vi.runAllTimersAsync();
    expect(await next).toBe(1_001_000);
  });
});

describe('sharedPacer', () => {
  it('is one pacer per key and rate in the process', () => {
    const rate = { limit: 3, intervalMs: 1000 };
    expect(sharedPacer('sns:arn:a', rate)).toBe(sharedPacer('sns:arn:a', rate));
    expect(sharedPacer('sns:arn:a', rate)).not.toBe(sharedPacer('sns:arn:b', rate));
  });
});
