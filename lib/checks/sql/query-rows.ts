import type { ConnectionTarget } from '../../db/connection-target.ts';

export type SqlParam = string | number | boolean | null;

/** What a query returned: column names in order and rows as arrays (duplicate names survive). */
export interface QueryRows {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

export interface ReadOnlyQuery {
  readonly text: string;
  readonly params: readonly SqlParam[];
  /** Shown in pg_stat_activity (postgres) so a DBA can tell the checker's sessions apart. */
  readonly applicationName: string;
  /** The server-side statement timeout to set, computed once connected (what is left of the deadline). */
  readonly statementTimeoutMs: () => number;
  /** The whole check's deadline, for the server to end a session its client abandoned. */
  readonly sessionTimeoutMs: number;
}

/** How far a run got, so a failure is worded as a connect or a query problem. */
export interface QueryProgress {
  connected: boolean;
  statementTimeoutMs?: number;
}

/** Runs one statement in a read-only transaction that is always rolled back. */
export type QueryRunner = (
  target: ConnectionTarget,
  query: ReadOnlyQuery,
  signal: AbortSignal,
  progress: QueryProgress,
) => Promise<QueryRows>;
