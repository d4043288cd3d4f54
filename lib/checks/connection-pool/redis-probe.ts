import { isIP } from 'node:net';
import { createClient } from 'redis';
import { type ConnectionTarget, ConnectionUrlError } from '../../db/connection-target.ts';
import { closeWithin, onAbort } from '../../shared/abort.ts';
import { type PoolProbe, UnhealthyServerError } from './pool-probe.ts';

/** `INFO` text as a map: `connected_clients:3` -> connected_clients => "3". */
function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return fields;
}

function isAuthError(error: unknown): boolean {
  return /^(WRONGPASS|NOAUTH)\b/.test((error as Error)?.message ?? '');
}

export const probe: PoolProbe = async (target: ConnectionTarget, signal: AbortSignal) => {
  if (target.database !== undefined && !/^\d+$/.test(target.database)) {
    throw new ConnectionUrlError(
      'url path must be a Redis database number, e.g. redis://host:6379/0',
    );
  }
  const tls = target.tls;
  const client = createClient({
    socket: {
      host: target.host,
      port: target.port,
      connectTimeout: target.connectTimeoutMs,
      // A dead server must fail this run now, not be retried in the background.
      reconnectStrategy: false,
      ...(tls
        ? {
            tls: true as const,
            rejectUnauthorized: tls.rejectUnauthorized,
            ...(tls.servername || !isIP(target.host)
              ? { servername: tls.servername ?? target.host }
              : {}),
            ...(tls.ca ? { ca: tls.ca } : {}),
          }
        : {}),
    },
    ...(target.user ? { username: target.user } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.database ? { database: Number(target.database) } : {}),
    disableOfflineQueue: true,
  });
  client.on('error', () => {});
  const unsubscribe = onAbort(signal, () => client.destroy());
  try {
    await client.connect();
    let pong: string;
    try {
      pong = String(await client.ping());
    } catch (error) {
      if (isAuthError(error)) throw error;
      throw new UnhealthyServerError(`PING failed: ${(error as Error).message}`);
    }
    if (pong !== 'PONG') throw new UnhealthyServerError(`PING answered ${pong}, expected PONG`);
    const info = parseInfo(String(await client.info('clients')));
    // INFO clients reports maxclients on Redis 7+; older servers need CONFIG GET (often renamed
    // on managed services, in which case only absolute thresholds apply).
    let maxClients = Number(info.get('maxclients'));
    if (!Number.isFinite(maxClients)) {
      try {
        maxClients = Number((await client.configGet('maxclients'))['maxclients']);
      } catch {
        maxClients = Number.NaN;
      }
    }
    const connectedClients = Number(info.get('connected_clients'));
    if (!Number.isFinite(connectedClients)) {
      throw new Error('INFO clients did not report connected_clients');
    }
    return {
      used: Math.max(0, connectedClients - 1),
      limit: Number.isFinite(maxClients) ? maxClients : null,
      details: {
        engine: 'redis',
        ping: pong,
        connectedClients,
        maxClients: Number.isFinite(maxClients) ? maxClients : null,
        blockedClients: Number(info.get('blocked_clients') ?? 0),
      },
    };
  } finally {
    unsubscribe();
    if (client.isOpen) await closeWithin(1000, () => client.close());
    client.destroy();
  }
};
