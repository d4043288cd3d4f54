import { describe, expect, it } from 'vitest';
import { onAbort, raceAbort, sleep, withDeadline } from '../../lib/shared/abort.ts';
import {
  backoffDelay,
  parseRetryAfter,
  RetryExhaustedError,
  retryWithBackoff,
} from '../../lib/shared/retry.ts';

const noJitter = { random: () => 1, baseDelayMs: 1, maxDelayMs: 50 };

describe('retryWithBackoff', () => {
  it('returns the first successful attempt', async () => {
    const seen: number[] = [];
    const value = await retryWithBackoff(async (attempt) => {
      seen.push(attempt);
      return attempt < 3 ? { done: false, problem: `try ${attempt}` } : { done: true, value: 'ok' };
    }, noJitter);
    expect(value).toBe('ok');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('gives up after the attempts with the last problem', async () => {
    const attempt = retryWithBackoff(
      async (n) => ({ done: false, problem: new Error(`503 on try ${n}`) }),
      { ...noJitter, attempts: 2 },
    );
    await expect(attempt).rejects.toBeInstanceOf(RetryExhaustedError);
    await expect(attempt).rejects.toThrow('503 on try 2 (gave up after 2 attempts)');
  });

  it('does not retry a thrown error unless it is retryable', async () => {
    let calls = 0;
    const failing = async (): Promise<{ done: true; value: number }> => {
      calls++;
      throw new Error('permanent');
    };
    await expect(retryWithBackoff(failing, noJitter)).rejects.toThrow('permanent');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      retryWithBackoff(failing, { ...noJitter, attempts: 3, isRetryable: () => true }),
    ).rejects.toThrow(RetryExhaustedError);
    expect(calls).toBe(3);
  });

  it('stops waiting as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const run = retryWithBackoff(
      async () => ({ done: false, problem: 'down' }),
      { baseDelayMs: 60_000, maxDelayMs: 60_000, attempts: 3 },
      controller.signal,
    );
    setTimeout(() => controller.abort(new Error('budget over')), 20);
    await expect(run).rejects.toThrow('budget over');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('lets Retry-After stretch a wait up to the cap', () => {
    const policy = { random: () => 0, baseDelayMs: 100, maxDelayMs: 5_000 };
    expect(backoffDelay(1, policy)).toBe(50);
    expect(backoffDelay(3, policy)).toBe(200);
    expect(backoffDelay(1, policy, 2_000)).toBe(2_000);
    expect(backoffDelay(1, policy, 60_000)).toBe(5_000);
  });

  it('parses Retry-After seconds and dates', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('abort helpers', () => {
  it('sleep rejects with the reason and withDeadline fires', async () => {
    await expect(sleep(60_000, AbortSignal.abort(new Error('stop')))).rejects.toThrow('stop');
    const signal = withDeadline(undefined, 10);
    await expect(sleep(60_000, signal)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('raceAbort tears the work down when the signal wins', async () => {
    let tornDown = false;
    const controller = new AbortController();
    const race = raceAbort(new Promise(() => {}), controller.signal, () => {
      tornDown = true;
    });
    controller.abort(new Error('deadline'));
    await expect(race).rejects.toThrow('deadline');
    expect(tornDown).toBe(true);
    await expect(raceAbort(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
  });

  it('onAbort tears down on abort, at once when already aborted, and not after unsubscribing', () => {
    const torn: string[] = [];
    const live = new AbortController();
    onAbort(live.signal, () => torn.push('live'));
    const unsubscribed = new AbortController();
    onAbort(unsubscribed.signal, () => torn.push('unsubscribed'))();
    onAbort(AbortSignal.abort(), () => torn.push('already'));
    live.abort();
    unsubscribed.abort();
    expect(torn).toEqual(['already', 'live']);
  });
});
