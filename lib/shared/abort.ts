/**
 * Abort handling in one place: every wait and every I/O call takes the caller's `AbortSignal`,
 * and these helpers make a deadline or a race from it without leaking listeners.
 */

/** The caller's signal combined with a deadline of its own (the earlier one wins). */
export function withDeadline(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const deadline = AbortSignal.timeout(Math.max(0, timeoutMs));
  return signal ? AbortSignal.any([signal, deadline]) : deadline;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `teardown` when `signal` aborts (at once if it already has) and returns the unsubscribe:
 * for a connection that must be destroyed at the deadline while it is in use.
 */
export function onAbort(signal: AbortSignal, teardown: () => void): () => void {
  if (signal.aborted) {
    teardown();
    return () => {};
  }
  signal.addEventListener('abort', teardown, { once: true });
  return () => signal.removeEventListener('abort', teardown);
}

/**
 * Settles with `work`, or rejects with the signal's reason when it aborts first. For work that
 * cannot take a signal itself (a driver call); pass `onAbort` to tear the work down.
 */
export function raceAbort<T>(
  work: Promise<T>,
  signal: AbortSignal,
  onAbort?: () => void,
): Promise<T> {
  if (signal.aborted) {
    onAbort?.();
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort?.();
      reject(signal.reason);
    };
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** Waits for a graceful close, but never longer than `ms`: a dead peer must not hold the caller. */
export async function closeWithin(ms: number, close: () => Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    close().catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * Time left before a deadline of `timeoutMs` that began at `startedAt` (wall clock), less
 * `marginMs`: a plugin that stops its own I/O a moment before the engine's deadline can still say
 * what it was waiting for. A `startedAt` far from the real clock (a test's fixed `now`) counts as
 * "just started". Never below 1 ms.
 */
export function remainingBudget(
  timeoutMs: number,
  startedAt: Date,
  marginMs: number,
): () => number {
  const spent = Date.now() - startedAt.getTime();
  const before = spent >= 0 && spent < timeoutMs ? spent : 0;
  const end = performance.now() + timeoutMs - before - marginMs;
  return () => Math.max(1, end - performance.now());
}
