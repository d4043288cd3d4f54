import type { ConnectionTarget } from '../../db/connection-target.ts';
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
