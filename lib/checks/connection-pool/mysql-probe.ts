import { type Connection, createConnection, type RowDataPacket } from 'mysql2';
import { onAbort, raceAbort } from '../../shared/abort.ts';
import type { ConnectionTarget } from './connection-target.ts';
import { closeWithin, type PoolProbe } from './pool-probe.ts';

interface StatusRow extends RowDataPacket {
  Variable_name: string;
  Value: string;
}

interface SettingsRow extends RowDataPacket {
  max_connections: number | string;
  version: string;
}

/** Resolves once the handshake (and authentication) finishes. */
function connected(connection: Connection): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.connect((error) => (error ? reject(error) : resolve()));
  });
}

export const probe: PoolProbe = async (target: ConnectionTarget, signal: AbortSignal) => {
  // The callback API hands back the connection before the handshake, so an abort can destroy it
  // mid-connect; `.promise()` wraps the same connection for the queries.
  const connection = createConnection({
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
  });
  connection.on('error', () => {});
  const unsubscribe = onAbort(signal, () => connection.destroy());
  let opened = false;
  try {
    // destroy() mid-handshake never calls the connect callback, so the abort settles it instead.
    await raceAbort(connected(connection), signal);
    opened = true;
    const db = connection.promise();
    const [status] = await db.query<StatusRow[]>(
      "SHOW GLOBAL STATUS WHERE Variable_name IN ('Threads_connected', 'Max_used_connections')",
    );
    const [settings] = await db.query<SettingsRow[]>(
      'SELECT @@GLOBAL.max_connections AS max_connections, VERSION() AS version',
    );
    const value = (name: string) => Number(status.find((r) => r.Variable_name === name)?.Value);
    const threadsConnected = value('Threads_connected');
    const row = settings[0];
    if (!Number.isFinite(threadsConnected) || !row) {
      throw new Error('the server did not report Threads_connected and max_connections');
    }
    const maxConnections = Number(row.max_connections);
    return {
      // Threads_connected counts this check's own connection.
      used: Math.max(0, threadsConnected - 1),
      limit: maxConnections,
      details: {
        engine: 'mysql',
        serverVersion: row.version,
        threadsConnected,
        maxConnections,
        maxUsedConnections: value('Max_used_connections'),
      },
    };
  } finally {
    unsubscribe();
    // A connection whose handshake failed has nothing to end gracefully, and end() would wait.
    if (opened) await closeWithin(1000, () => connection.promise().end());
    connection.destroy();
  }
};
