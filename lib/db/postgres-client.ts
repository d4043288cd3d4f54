import { connect as connectTcp, isIP } from 'node:net';
import pg from 'pg';
import { closeWithin, onAbort } from '../shared/abort.ts';
import type { ConnectionTarget } from './connection-target.ts';

export interface PostgresOptions {
  /** Shown in pg_stat_activity, so a DBA can tell the checker's sessions apart. */
  readonly applicationName: string;
  /**
   * Ask the server to cancel the running statement when `signal` aborts. Destroying the socket
   * alone leaves a backend running its query until it next writes to the client.
   */
  readonly cancelOnAbort?: boolean;
}

/** What the backend handed out at startup to authorize a CancelRequest. */
interface BackendKey {
  readonly processID?: number | null;
  readonly secretKey?: number | null;
}

/**
 * Sends the protocol's CancelRequest (a fresh connection, 16 bytes, no reply) for one backend.
 * Best effort: the caller has already given up waiting.
 */
function sendCancelRequest(target: ConnectionTarget, key: BackendKey): void {
  if (typeof key.processID !== 'number' || typeof key.secretKey !== 'number') return;
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(80877102, 4);
  packet.writeInt32BE(key.processID, 8);
  packet.writeInt32BE(key.secretKey, 12);
  const socket = connectTcp({ host: target.host, port: target.port });
  socket.setTimeout(2000, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('connect', () => socket.end(packet));
}

function clientFor(target: ConnectionTarget, options: PostgresOptions): pg.Client {
  return new pg.Client({
    host: target.host,
    port: target.port,
    ...(target.user ? { user: target.user } : {}),
    ...(target.password ? { password: target.password } : {}),
    database: target.database ?? target.user ?? 'postgres',
    connectionTimeoutMillis: target.connectTimeoutMs,
    application_name: options.applicationName,
    ssl: target.tls
      ? {
          rejectUnauthorized: target.tls.rejectUnauthorized,
          ...(target.tls.ca ? { ca: target.tls.ca } : {}),
          // SNI carries names only (RFC 6066); an IP target is verified against its IP SAN.
          ...(target.tls.servername || !isIP(target.host)
            ? { servername: target.tls.servername ?? target.host }
            : {}),
        }
      : false,
  });
}

/**
 * Connects, runs `work`, and always closes the connection: gracefully when it can, by
 * destroying the socket when `signal` aborts or the server stops answering.
 */
export async function withPostgres<T>(
  target: ConnectionTarget,
  signal: AbortSignal,
  options: PostgresOptions,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = clientFor(target, options);
  // Errors after a destroy arrive as events; the awaited call already reports them.
  client.on('error', () => {});
  const unsubscribe = onAbort(signal, () => {
    if (options.cancelOnAbort) sendCancelRequest(target, client as unknown as BackendKey);
    client.connection.stream.destroy();
  });
  try {
    await client.connect();
    return await work(client);
  } finally {
    unsubscribe();
    await closeWithin(1000, () => client.end());
    client.connection.stream.destroy();
  }
}
