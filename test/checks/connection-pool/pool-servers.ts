import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createClient } from 'redis';
import type { run } from '../../../lib/checks/connection-pool/run.ts';
import { parseConfig } from '../../../lib/config/load-config.ts';

/** The real servers on this machine (see the brief); tests create their own users on them. */
export const postgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
export const mysqlUrl = 'mysql://root@127.0.0.1:3306';
export const redisUrl = 'redis://127.0.0.1:6379';

export type PoolConfig = Parameters<typeof run>[0];

/** A config as the loader produces it (defaults applied, validated). */
export function poolConfig(fields: Record<string, unknown>): PoolConfig {
  const config = parseConfig(
    { checks: [{ id: 'pool', type: 'connection-pool', ...fields }] },
    { env: {} },
  );
  return config.checks[0] as PoolConfig;
}

export function context(signal: AbortSignal = AbortSignal.timeout(10_000)) {
  return { signal, now: new Date(), timezone: 'UTC' };
}

export function suffix(): string {
  return randomBytes(4).toString('hex');
}

export function password(): string {
  return `Pw-${randomBytes(9).toString('base64url')}`;
}

/** Opens real client connections and closes them all on `close()`. */
export interface HeldConnections {
  open(count: number): Promise<void>;
  close(): Promise<void>;
}

function holder(connect: () => Promise<() => Promise<unknown>>): HeldConnections {
  const closers: (() => Promise<unknown>)[] = [];
  return {
    async open(count) {
      const opened = await Promise.all(Array.from({ length: count }, connect));
      closers.push(...opened);
    },
    async close() {
      await Promise.all(closers.splice(0).map((close) => close().catch(() => {})));
    },
  };
}

export const holdPostgres = (): HeldConnections =>
  holder(async () => {
    const client = new pg.Client({ connectionString: postgresUrl });
    client.on('error', () => {});
    await client.connect();
    return () => client.end();
  });

export const holdMysql = (): HeldConnections =>
  holder(async () => {
    const connection = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
    return () => connection.end();
  });

export const holdRedis = (): HeldConnections =>
  holder(async () => {
    const client = createClient({ url: redisUrl, socket: { reconnectStrategy: false } });
    client.on('error', () => {});
    await client.connect();
    return () => client.close();
  });

/** Client connections other than the measuring one, counted independently of the check. */
export async function countPostgres(): Promise<{ used: number; limit: number }> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ used: number; limit: number }>(
      `select (select count(*)::int from pg_stat_activity
                where backend_type = 'client backend' and pid <> pg_backend_pid()) as used,
              current_setting('max_connections')::int
                - current_setting('superuser_reserved_connections')::int as limit`,
    );
    const row = rows[0];
    if (!row) throw new Error('no row');
    return row;
  } finally {
    await client.end();
  }
}

export async function countMysql(): Promise<{ used: number; limit: number }> {
  const connection = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      "SELECT (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'THREADS_CONNECTED') AS used, @@GLOBAL.max_connections AS `limit`",
    );
    return { used: Number(rows[0]?.['used']) - 1, limit: Number(rows[0]?.['limit']) };
  } finally {
    await connection.end();
  }
}

export async function countRedis(): Promise<{ used: number; limit: number }> {
  const client = createClient({ url: redisUrl, socket: { reconnectStrategy: false } });
  await client.connect();
  try {
    const info = String(await client.info('clients'));
    const field = (name: string) => Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1]);
    return { used: field('connected_clients') - 1, limit: field('maxclients') };
  } finally {
    await client.close();
  }
}

/** A port nothing listens on (bound, then released). */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Accepts TCP connections and never answers: a hung server. Records sockets it saw close. */
export async function silentServer(): Promise<{
  port: number;
  accepted: () => number;
  closed: () => number;
  stop: () => Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let closed = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    // Reading (and discarding) is what lets the peer's FIN arrive as 'end' and then 'close'.
    socket.resume();
    socket.on('close', () => {
      closed++;
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    accepted: () => accepted,
    closed: () => closed,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Polls until `predicate` holds or `ms` pass. */
export async function eventually(predicate: () => boolean, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!predicate() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return predicate();
}
