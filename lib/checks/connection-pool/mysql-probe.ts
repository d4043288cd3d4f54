import type { RowDataPacket } from 'mysql2';
import type { ConnectionTarget } from '../../db/connection-target.ts';
import { withMysql } from '../../db/mysql-connection.ts';
import type { PoolProbe } from './pool-probe.ts';

interface StatusRow extends RowDataPacket {
  Variable_name: string;
  Value: string;
}

interface SettingsRow extends RowDataPacket {
  max_connections: number | string;
  version: string;
}

export const probe: PoolProbe = (target: ConnectionTarget, signal: AbortSignal) =>
  withMysql(target, signal, {}, async (db) => {
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
  });
