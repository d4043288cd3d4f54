import { errorMessage } from '../../core/errors.ts';
import type { CheckOutcome } from '../../core/result.ts';
import { redactText } from '../../core/sanitize.ts';
import { type ConnectionTarget, connectionTarget } from '../../db/connection-target.ts';
import { raceAbort } from '../../shared/abort.ts';
import type { CheckContext } from '../plugin.ts';
import type { ConnectionPoolCheckConfig, PoolEngine } from './config.ts';
import { describeFailure } from './describe-failure.ts';
import { evaluateUsage } from './evaluate-usage.ts';
import type { PoolProbe } from './pool-probe.ts';

/** One probe per engine, imported lazily so a Redis-only config never loads the SQL drivers. */
const probes: Record<PoolEngine, () => Promise<{ probe: PoolProbe }>> = {
  postgres: () => import('./postgres-probe.ts'),
  mysql: () => import('./mysql-probe.ts'),
  redis: () => import('./redis-probe.ts'),
};

function failed(
  target: ConnectionTarget | undefined,
  engine: PoolEngine,
  error: unknown,
  signals: { deadline: AbortSignal; answer: AbortSignal },
): CheckOutcome {
  // Without a target the URL itself was unusable; ConnectionUrlError never repeats it, and any
  // other message is still scrubbed of URL credentials.
  const failure = target
    ? describeFailure(error, target, signals)
    : { status: 'unknown' as const, reason: redactText(errorMessage(error), []) };
  return {
    status: failure.status,
    summary: `${target?.label ?? engine}: ${failure.reason}`,
    details: { engine },
  };
}

export async function run(
  config: ConnectionPoolCheckConfig,
  context: CheckContext,
): Promise<CheckOutcome> {
  let target: ConnectionTarget | undefined;
  // Drivers time out the TCP connect but not always the handshake or a query (node-redis waits
  // forever for a server that accepts and stays silent), so the probe gets its own time limit,
  // just inside the check's deadline, to report a specific reason.
  let answer = new AbortController().signal;
  try {
    target = await connectionTarget(config);
    const { probe } = await probes[config.engine]();
    answer = AbortSignal.timeout(target.connectTimeoutMs);
    const signal = AbortSignal.any([context.signal, answer]);
    const usage = await raceAbort(probe(target, signal), signal);
    return evaluateUsage(target.label, usage, config);
  } catch (error) {
    return failed(target, config.engine, error, { deadline: context.signal, answer });
  }
}
