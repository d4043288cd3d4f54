import { errorMessage } from '../core/errors.ts';
import { redactText } from '../core/sanitize.ts';
import { type ConnectionTarget, ConnectionUrlError } from './connection-target.ts';

/** Why a database call failed, worded for an on-call engineer and free of credentials. */
export interface DriverFailure {
  readonly reason: string;
  /**
   * The server refused the connection because it is full. A connection-pool check reports that
   * as the saturation it measures; other checks only could not run.
   */
  readonly saturated: boolean;
}

/** A driver error's fields the classification reads (pg, mysql2 and node-redis errors). */
export interface DriverError {
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

/** Server error codes meaning "no room for another connection". */
const saturationCodes = new Set([
  '53300',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_USER_LIMIT_REACHED',
]);
/** PostgreSQL 28xxx, MySQL access denied. */
const authCodes = new Set(['28P01', '28000', 'ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR']);

export function driverErrorCode(error: unknown): string | undefined {
  const e = (typeof error === 'object' && error !== null ? error : {}) as DriverError;
  if (typeof e.code === 'string' && e.code) return e.code;
  // Node reports a refused dual-stack connect (localhost -> ::1 and 127.0.0.1) as an AggregateError.
  const inner = e.errors?.find((item) => typeof item.code === 'string');
  return inner ? driverErrorCode(inner) : undefined;
}

function isTlsError(code: string | undefined, message: string): boolean {
  return (
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_SSL|ERR_TLS|EPROTO/.test(code ?? '') ||
    /does not support (SSL|secure)|SSL routines|wrong version number/i.test(message)
  );
}

function classify(error: unknown, target: ConnectionTarget): DriverFailure {
  const code = driverErrorCode(error);
  const message = errorMessage(error);
  const name = (error as DriverError | undefined)?.name;
  const user = target.user ?? '(default user)';
  const failure = (reason: string) => ({ reason, saturated: false });
  if (error instanceof ConnectionUrlError) return failure(message);
  if (
    (code && saturationCodes.has(code)) ||
    /max number of clients reached|too many (clients|connections)/i.test(message)
  ) {
    return { reason: `server refused the connection as full: ${message}`, saturated: true };
  }
  if ((code && authCodes.has(code)) || /^(WRONGPASS|NOAUTH)\b/.test(message)) {
    const extra = /authentication failed/i.test(message) ? '' : ` (${message})`;
    return failure(`authentication failed for user ${user}${extra}`);
  }
  if (isTlsError(code, message)) return failure(`TLS: ${message}`);
  if (code && socketReasons[code]) return failure(socketReasons[code](target));
  if (name === 'ConnectionTimeoutError' || /timeout expired|connection timeout/i.test(message)) {
    return failure(`timed out connecting after ${target.connectTimeoutMs / 1000}s`);
  }
  return failure(message);
}

export interface FailureSignals {
  /** The check's deadline. */
  readonly deadline: AbortSignal;
  /** The driver's own answer timeout, just inside the deadline. */
  readonly answer?: AbortSignal;
}

/**
 * Turns a driver error into a reason an on-call engineer can act on, with the password and any
 * URL credentials removed (drivers sometimes echo the connection string).
 */
export function describeDriverFailure(
  error: unknown,
  target: ConnectionTarget,
  signals: FailureSignals,
): DriverFailure {
  if (signals.deadline.aborted) {
    return {
      reason: 'stopped at the check deadline before the server answered',
      saturated: false,
    };
  }
  if (signals.answer?.aborted) {
    return {
      reason: `no answer within ${target.connectTimeoutMs / 1000}s (90% of timeoutSeconds)`,
      saturated: false,
    };
  }
  const failure = classify(error, target);
  return { ...failure, reason: redactText(failure.reason, target.secrets) };
}
