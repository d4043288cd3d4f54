import { errorMessage } from '../../core/errors.ts';
import { redactText } from '../../core/sanitize.ts';
import type { Status } from '../../core/status.ts';
import { CaBundleError } from '../../shared/ca-bundle.ts';
import { type ConnectionTarget, ConnectionUrlError } from './connection-target.ts';
import { UnhealthyServerError } from './pool-probe.ts';

export interface Failure {
  /** `unknown` when the check could not measure; `critical` when the failure is itself saturation. */
  readonly status: Extract<Status, 'unknown' | 'critical'>;
  readonly reason: string;
}

interface DriverError {
  readonly code?: unknown;
  readonly errno?: unknown;
  readonly name?: unknown;
  readonly errors?: readonly DriverError[];
}

const socketReasons: Record<string, (target: ConnectionTarget) => string> = {
  ECONNREFUSED: () => 'connection refused',
  ECONNRESET: () => 'connection reset by the server',
  EPIPE: () => 'connection reset by the server',
  ETIMEDOUT: (t) => `timed out connecting after ${t.connectTimeoutMs / 1000}s`,
  ENOTFOUND: (t) => `unknown host ${t.host}`,
  EAI_AGAIN: (t) => `cannot resolve host ${t.host} (DNS not answering)`,
  EHOSTUNREACH: () => 'host unreachable',
  ENETUNREACH: () => 'network unreachable',
  PROTOCOL_CONNECTION_LOST: () => 'the server closed the connection',
};

/** Server error codes meaning "no room for another connection": the pool is saturated. */
const saturationCodes = new Set([
  '53300',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_USER_LIMIT_REACHED',
]);
/** PostgreSQL 28xxx, MySQL access denied. */
const authCodes = new Set(['28P01', '28000', 'ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR']);

function codeOf(error: DriverError): string | undefined {
  if (typeof error.code === 'string' && error.code) return error.code;
  // Node reports a refused dual-stack connect (localhost -> ::1 and 127.0.0.1) as an AggregateError.
  const inner = error.errors?.find((e) => typeof e.code === 'string');
  return inner ? codeOf(inner) : undefined;
}

function isTlsError(code: string | undefined, message: string): boolean {
  return (
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_SSL|ERR_TLS|EPROTO/.test(code ?? '') ||
    /does not support (SSL|secure)|SSL routines|wrong version number/i.test(message)
  );
}

function classify(error: unknown, target: ConnectionTarget): Failure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as DriverError;
  const code = codeOf(e);
  const message = errorMessage(error);
  const user = target.user ?? '(default user)';
  if (error instanceof ConnectionUrlError || error instanceof CaBundleError) {
    return { status: 'unknown', reason: message };
  }
  if (error instanceof UnhealthyServerError) return { status: 'critical', reason: message };
  if (
    (code && saturationCodes.has(code)) ||
    /max number of clients reached|too many (clients|connections)/i.test(message)
  ) {
    return { status: 'critical', reason: `server refused the connection as full: ${message}` };
  }
  if ((code && authCodes.has(code)) || /^(WRONGPASS|NOAUTH)\b/.test(message)) {
    const extra = /authentication failed/i.test(message) ? '' : ` (${message})`;
    return { status: 'unknown', reason: `authentication failed for user ${user}${extra}` };
  }
  if (isTlsError(code, message)) return { status: 'unknown', reason: `TLS: ${message}` };
  if (code && socketReasons[code])
    return { status: 'unknown', reason: socketReasons[code](target) };
  if (e.name === 'ConnectionTimeoutError' || /timeout expired|connection timeout/i.test(message)) {
    return {
      status: 'unknown',
      reason: `timed out connecting after ${target.connectTimeoutMs / 1000}s`,
    };
  }
  return { status: 'unknown', reason: message };
}

/**
 * Turns a driver error into a reason an on-call engineer can act on, with the password and any
 * URL credentials removed (drivers sometimes echo the connection string).
 */
export function describeFailure(
  error: unknown,
  target: ConnectionTarget,
  signals: { readonly deadline: AbortSignal; readonly answer?: AbortSignal },
): Failure {
  if (signals.deadline.aborted) {
    return {
      status: 'unknown',
      reason: 'stopped at the check deadline before the server answered',
    };
  }
  if (signals.answer?.aborted) {
    return {
      status: 'unknown',
      reason: `no answer within ${target.connectTimeoutMs / 1000}s (90% of timeoutSeconds)`,
    };
  }
  const failure = classify(error, target);
  return { ...failure, reason: redactText(failure.reason, target.secrets) };
}
