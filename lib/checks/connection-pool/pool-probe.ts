import { raceAbort } from '../../shared/abort.ts';
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

/** Waits for a graceful close, but never longer than `ms`: a dead peer must not hold the check. */
export async function closeWithin(ms: number, close: () => Promise<unknown>): Promise<void> {
  await raceAbort(close(), AbortSignal.timeout(ms)).catch(() => {});
}
