import type pg from 'pg';
import type { ConnectionTarget } from '../../db/connection-target.ts';
import { withPostgres } from '../../db/postgres-client.ts';
import type { PoolUsage } from './evaluate-usage.ts';
import type { PoolProbe } from './pool-probe.ts';

// Slots superusers keep for themselves (and pg_use_reserved_connections roles on 16+) are not
// available to the application, so the usable limit excludes them.
const limitsQuery = `select current_setting('max_connections')::int as max_connections,
  coalesce(current_setting('superuser_reserved_connections', true), '0')::int as superuser_reserved,
  coalesce(current_setting('reserved_connections', true), '0')::int as reserved,
  current_setting('server_version') as server_version`;

// state is NULL for other roles' sessions unless the check's role has pg_read_all_stats.
const activityQuery = `select coalesce(state, 'not visible') as state, count(*)::int as count,
  max(extract(epoch from now() - state_change))
    filter (where state like 'idle in transaction%') as idle_in_transaction_seconds
  from pg_stat_activity
  where backend_type = 'client backend' and pid <> pg_backend_pid()
  group by 1`;

interface LimitsRow {
  max_connections: number;
  superuser_reserved: number;
  reserved: number;
  server_version: string;
}

interface ActivityRow {
  state: string;
  count: number;
  idle_in_transaction_seconds: string | number | null;
}

async function postgresUsage(client: pg.Client): Promise<PoolUsage> {
  const limits = (await client.query<LimitsRow>(limitsQuery)).rows[0];
  if (!limits) throw new Error('no answer to the max_connections query');
  const activity = (await client.query<ActivityRow>(activityQuery)).rows;
  const byState: Record<string, number> = {};
  let used = 0;
  let longestIdle: number | null = null;
  for (const row of activity) {
    byState[row.state] = row.count;
    used += row.count;
    if (row.idle_in_transaction_seconds !== null) {
      const seconds = Math.round(Number(row.idle_in_transaction_seconds));
      longestIdle = Math.max(longestIdle ?? 0, seconds);
    }
  }
  return {
    used,
    limit: limits.max_connections - limits.superuser_reserved - limits.reserved,
    details: {
      engine: 'postgres',
      serverVersion: limits.server_version,
      maxConnections: limits.max_connections,
      superuserReservedConnections: limits.superuser_reserved,
      reservedConnections: limits.reserved,
      byState,
      longestIdleInTransactionSeconds: longestIdle,
    },
  };
}

interface CockroachSettingRow {
  value: string;
}

/** CockroachDB speaks the protocol but keeps sessions and its connection cap elsewhere. */
async function cockroachUsage(client: pg.Client, version: string): Promise<PoolUsage> {
  const sessions = await client.query<{ count: number }>(
    'select count(*)::int as count from crdb_internal.node_sessions',
  );
  let limit: number | null = null;
  try {
    const setting = await client.query<CockroachSettingRow>(
      "select value from crdb_internal.cluster_settings where variable = 'server.max_connections_per_gateway'",
    );
    const value = Number(setting.rows[0]?.value);
    limit = Number.isFinite(value) && value > 0 ? value : null;
  } catch {
    // Reading cluster settings needs a privilege a monitoring role may lack; percentages are skipped.
  }
  return {
    used: Math.max(0, (sessions.rows[0]?.count ?? 1) - 1),
    limit,
    details: { engine: 'cockroachdb', serverVersion: version },
  };
}

export const probe: PoolProbe = (target: ConnectionTarget, signal: AbortSignal) =>
  withPostgres(
    target,
    signal,
    { applicationName: 'healthcheck connection-pool' },
    async (client) => {
      const version = (await client.query<{ version: string }>('select version()')).rows[0]
        ?.version;
      return version?.includes('CockroachDB')
        ? await cockroachUsage(client, version)
        : await postgresUsage(client);
    },
  );
