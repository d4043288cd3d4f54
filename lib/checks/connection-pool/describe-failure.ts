import { redactText } from '../../core/sanitize.ts';
import type { Status } from '../../core/status.ts';
import type { ConnectionTarget } from '../../db/connection-target.ts';
import { describeDriverFailure, type FailureSignals } from '../../db/driver-failure.ts';
import { UnhealthyServerError } from './pool-probe.ts';

export interface Failure {
  /** `unknown` when the check could not measure; `critical` when the failure is itself saturation. */
  readonly status: Extract<Status, 'unknown' | 'critical'>;
  readonly reason: string;
}

/** A driver failure as this check rates it: a full server or a wrong PING answer is `critical`. */
export function describeFailure(
  error: unknown,
  target: ConnectionTarget,
  signals: FailureSignals,
): Failure {
  const timedOut = signals.deadline.aborted || signals.answer?.aborted;
  if (error instanceof UnhealthyServerError && !timedOut) {
    return { status: 'critical', reason: redactText(error.message, target.secrets) };
  }
  const failure = describeDriverFailure(error, target, signals);
  return { status: failure.saturated ? 'critical' : 'unknown', reason: failure.reason };
}
