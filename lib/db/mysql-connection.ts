import { type Connection, type ConnectionOptions, createConnection } from 'mysql2';
import type { Connection as PromiseConnection } from 'mysql2/promise';
import { closeWithin, onAbort, raceAbort } from '../shared/abort.ts';
import type { ConnectionTarget } from './connection-target.ts';

export interface MysqlOptions {
  /**
   * Kill the connection's thread on the server when `signal` aborts: MySQL keeps running a
   * statement whose client went away until it next writes to it.
   */
  readonly killOnAbort?: boolean;
}

/** Resolves once the handshake (and authentication) finishes. */
function connected(connection: Connection): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.connect((error) => (error ? reject(error) : resolve()));
  });
}

function connectionOptions(target: ConnectionTarget): ConnectionOptions {
  return {
    host: target.host,
    port: target.port,
    ...(target.user ? { user: target.user } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.database ? { database: target.database } : {}),
    connectTimeout: target.connectTimeoutMs,
    ...(target.tls
      ? {
          ssl: {
            rejectUnauthorized: target.tls.rejectUnauthorized,
            ...(target.tls.ca ? { ca: target.tls.ca } : {}),
          },
        }
      : {}),
  };
}

/** `KILL <thread>` from a second connection, best effort: the caller has already given up. */
function killThread(target: ConnectionTarget, threadId: number | undefined): void {
  if (typeof threadId !== 'number') return;
  const killer = createConnection({ ...connectionOptions(target), connectTimeout: 2000 });
  killer.on('error', () => {});
  killer.query(`KILL ${Math.trunc(threadId)}`, () => killer.destroy());
  setTimeout(() => killer.destroy(), 3000).unref();
}

/** Facts about the open connection the queries may depend on. */
export interface MysqlSession {
  /** MariaDB names some settings differently from MySQL (max_statement_time). */
  readonly mariaDb: boolean;
  readonly serverVersion: string;
}

function sessionFacts(connection: Connection): MysqlSession {
  // mysql2 keeps the handshake's facts on internal fields only.
  const raw = connection as unknown as {
    _isMariaDB?: boolean;
    _handshakePacket?: { serverVersion?: string };
  };
  return {
    mariaDb: raw._isMariaDB === true,
    serverVersion: raw._handshakePacket?.serverVersion ?? '',
  };
}

/**
 * Connects, runs `work` on the promise API of the connection, and always closes it: gracefully
 * when it can, by destroying the socket when `signal` aborts.
 */
export async function withMysql<T>(
  target: ConnectionTarget,
  signal: AbortSignal,
  options: MysqlOptions,
  work: (connection: PromiseConnection, session: MysqlSession) => Promise<T>,
): Promise<T> {
  // The callback API hands back the connection before the handshake, so an abort can destroy it
  // mid-connect; `.promise()` wraps the same connection for the queries.
  const connection = createConnection(connectionOptions(target));
  connection.on('error', () => {});
  let opened = false;
  const unsubscribe = onAbort(signal, () => {
    if (opened && options.killOnAbort) killThread(target, connection.threadId);
    connection.destroy();
  });
  try {
    // destroy() mid-handshake never calls the connect callback, so the abort settles it instead.
    await raceAbort(connected(connection), signal);
    opened = true;
    return await work(connection.promise(), sessionFacts(connection));
  } finally {
    unsubscribe();
    // A connection whose handshake failed has nothing to end gracefully, and end() would wait.
    if (opened) await closeWithin(1000, () => connection.promise().end());
    connection.destroy();
  }
}
