import type { ConnectionTarget } from './connection-target.ts';
import type { PoolUsage } from './evaluate-usage.ts';

/** Connects to one engine, measures connections in use, and always closes what it opened. */
export type PoolProbe = (target: ConnectionTarget, signal: AbortSignal) => Promise<PoolUsage>;

/** The server answered, but wrongly (Redis PING without PONG): a failure of the service itself. */
export class UnhealthyServerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnhealthyServerError';
  }
}

/** Runs `destroy` when `signal` aborts (at once if it already has); returns the unsubscribe. */
export function onAbort(signal: AbortSignal, destroy: () => void): () => void {
  if (signal.aborted) {
    destroy();
    return () => {};
  }
  signal.addEventListener('abort', destroy, { once: true });
  return () => signal.removeEventListener('abort', destroy);
}

/** Waits for a graceful close, but never longer than `ms`: a dead peer must not hold the check. */
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

/** Settles with `work`, or rejects with the abort reason the moment `signal` aborts. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
