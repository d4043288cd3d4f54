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
    { name: 'idle: now', state: idlePacer, burst: 1, at: 1000, tat: 1100 },
    {
      name: 'busy: after the last slot',
      state: { tat: 1500, pausedUntil: 0 },
      burst: 1,
      at: 1500,
      tat: 1600,
    },
    {
      name: 'a quiet spell is not saved up beyond the burst',
      state: { tat: 200, pausedUntil: 0 },
      burst: 1,
      at: 1000,
      tat: 1100,
    },
    {
      name: 'paused: after the pause',
      state: { tat: 1100, pausedUntil: 3000 },
      burst: 1,
      at: 3000,
      tat: 3100,
    },
    {
      name: 'pause over: ignored',
      state: { tat: 0, pausedUntil: 900 },
      burst: 1,
      at: 1000,
      tat: 1100,
    },
    {
      name: 'burst 3: the third at once',
      state: { tat: 1200, pausedUntil: 0 },
      burst: 3,
      at: 1000,
      tat: 1300,
    },
    {
      name: 'burst 3: the fourth waits one spacing',
      state: { tat: 1300, pausedUntil: 0 },
      burst: 3,
      at: 1100,
      tat: 1400,
    },
    {
      name: 'burst 3 after a quiet spell: at once',
      state: { tat: 400, pausedUntil: 0 },
      burst: 3,
      at: 1000,
      tat: 1100,
    },
  ])('$name', ({ state, burst, at, tat }) => {
    const slot = reserveSlot(state, 1000, 100, burst);
    expect(slot.at).toBe(at);
    expect(slot.next.tat).toBe(tat);
    expect(slot.next.pausedUntil).toBe(state.pausedUntil);
  });
});

describe('pauseUntil', () => {
  it.each([
    { name: 'starts a pause', pausedUntil: 0, until: 5000, expected: 5000 },
    { name: 'extends a shorter one', pausedUntil: 3000, until: 5000, expected: 5000 },
    { name: 'never shortens a longer one', pausedUntil: 9000, until: 5000, expected: 9000 },
  ])('$name', ({ pausedUntil, until, expected }) => {
    expect(pauseUntil({ tat: 0, pausedUntil }, until).pausedUntil).toBe(expected);
  });
});

describe('spacingMs', () => {
  it('spreads the limit evenly over the interval, less what a burst takes', () => {
    expect(spacingMs({ limit: 10, intervalMs: 1000 })).toBe(100);
    expect(spacingMs({ limit: 120, intervalMs: 60_000 })).toBe(500);
    expect(spacingMs({ limit: 10, intervalMs: 1000, burst: 6 })).toBe(200);
  });
  it('rejects a limit that is not positive', () => {
    expect(() => spacingMs({ limit: 0, intervalMs: 1000 })).toThrow(RangeError);
    expect(() => spacingMs({ limit: 5, intervalMs: Number.NaN })).toThrow(RangeError);
    expect(() => spacingMs({ limit: 5, intervalMs: 1000, burst: 6 })).toThrow(RangeError);
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

  it.each([1, 4, 10])(
    'with a burst of %i: starts at once, then never more than the limit in any window',
    async (burst) => {
      const pacer = new RatePacer({ limit: 10, intervalMs: 1000, burst });
      const starts: number[] = [];
      const all = Promise.all(
        Array.from({ length: 60 }, async () => {
          await pacer.acquire();
          starts.push(Date.now());
        }),
      );
      await vi.runAllTimersAsync();
      await all;
      expect(starts.filter((t) => t === 1_000_000)).toHaveLength(burst);
      expect(maxInWindow(starts, 1000)).toBe(10);
      for (const window of [250, 500, 2000, 5000]) {
        expect(maxInWindow(starts, window)).toBeLessThanOrEqual(
          burst + Math.ceil(window / spacingMs({ limit: 10, intervalMs: 1000, burst })) - 1,
        );
      }
    },
  );

  it('holds the bound on actual starts when callers wake late together (a stalled event loop)', async () => {
    vi.useRealTimers();
    const pacer = new RatePacer({ limit: 5, intervalMs: 200 });
    const starts: number[] = [];
    const all = Promise.all(
      Array.from({ length: 20 }, async () => {
        await pacer.acquire();
        starts.push(Date.now());
      }),
    );
    // Block the event loop for 400 ms: every sleeper due meanwhile wakes at once afterwards.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const until = Date.now() + 400;
    while (Date.now() < until) {
      // busy: no timer can fire
    }
    await all;
    expect(starts).toHaveLength(20);
    expect(maxInWindow(starts, 200)).toBeLessThanOrEqual(5);
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
