import { errorMessage } from '../../core/errors.ts';
import { redactText } from '../../core/sanitize.ts';
import type { ConnectionTarget } from '../../db/connection-target.ts';
import { describeDriverFailure, type FailureSignals } from '../../db/driver-failure.ts';
import { formatElapsed } from '../../shared/format-duration.ts';
import type { QueryProgress } from './query-rows.ts';

/** The result could not be judged (a column the config names is missing, a non-numeric value). */
export class SqlResultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqlResultError';
  }
}

/** The fields pg's DatabaseError and mysql2's query errors carry. */
interface ServerError {
  readonly code?: unknown;
  readonly errno?: unknown;
  readonly sqlState?: unknown;
  readonly severity?: unknown;
  readonly position?: unknown;
}

const readOnlyCodes = new Set(['25006', 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION']);
/** MariaDB max_statement_time (1969, which mysql2 has no name for), MySQL max_execution_time. */
const mysqlTimeoutErrnos = new Set([1969, 3024]);

function isServerError(error: ServerError): boolean {
  // pg: a DatabaseError has a severity and a five-character SQLSTATE; mysql2: sqlState.
  return (
    (typeof error.severity === 'string' && typeof error.code === 'string') ||
    typeof error.sqlState === 'string'
  );
}

function serverReason(error: unknown, progress: QueryProgress): string {
  const e = error as ServerError;
  const message = errorMessage(error);
  const code = typeof e.code === 'string' ? e.code : '';
  if (readOnlyCodes.has(code)) {
    return `refused: the statement would write, and the check runs read-only (${message})`;
  }
  const timeout = progress.statementTimeoutMs;
  if (
    timeout !== undefined &&
    ((code === '57014' && /statement timeout/i.test(message)) ||
      mysqlTimeoutErrnos.has(e.errno as number))
  ) {
    return `query stopped by the server after ${formatElapsed(timeout)} (the statement timeout the check sets inside timeoutSeconds): ${message}`;
  }
  const at = typeof e.position === 'string' && e.position ? ` (at character ${e.position})` : '';
  return `query failed: ${message}${at}`;
}

/**
 * The reason a run failed: the server's own words for a query it refused, the shared driver
 * wording for a connection problem. Never contains the password.
 */
export function describeQueryFailure(
  error: unknown,
  target: ConnectionTarget,
  signals: FailureSignals,
  progress: QueryProgress,
): string {
  if (error instanceof SqlResultError) return error.message;
  const stopped = signals.deadline.aborted || signals.answer?.aborted;
  if (progress.connected && signals.deadline.aborted) {
    return 'stopped at the check deadline before the query finished; it was cancelled on the server';
  }
  if (progress.connected && signals.answer?.aborted) {
    return `no result within ${formatElapsed(target.connectTimeoutMs)} (90% of timeoutSeconds); the query was cancelled on the server`;
  }
  if (progress.connected && !stopped && isServerError(error as ServerError)) {
    return redactText(serverReason(error, progress), target.secrets);
  }
  return describeDriverFailure(error, target, signals).reason;
}
