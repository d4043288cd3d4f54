/**
 * PostgreSQL connection checks: `healthcheck run` (connection-pool, engine postgres) versus
 * Debian's `check_pgsql`, against the local server at 127.0.0.1:5432 (user postgres, trust).
 * The check does more per target than the plugin (it reads pg_stat_activity and
 * max_connections after connecting); the plugin only connects.
 */
import { type BenchContext, defaultContext } from './support/context.ts';
import { availableCheckTypes } from './support/healthcheck-cli.ts';
import { emptySection, renderSection, type SectionResult } from './support/report.ts';
import {
  phaseColumns,
  phaseRows,
  runThroughputCase,
  throughputColumns,
  throughputProblems,
  throughputRows,
} from './support/throughput.ts';

// Loopback only: the bench never sends load anywhere else.
const host = '127.0.0.1';
const port = process.env.BENCH_PG_PORT ?? '5432';
// 50 targets keeps the peak (32 at once, the default concurrency) well under max_connections=100,
// which other work on this machine shares.
const targets = 50;

function pgCase(runs: number) {
  return {
    label: `postgres x${targets}`,
    targets,
    config: {
      timezone: 'UTC',
      checks: Array.from({ length: targets }, (_, i) => ({
        id: `pg-${i}`,
        type: 'connection-pool',
        engine: 'postgres',
        url: `postgres://postgres@${host}:${port}/postgres`,
        // Loose thresholds: the bench measures speed, not the load other work puts on the server.
        warningPercent: 95,
        criticalPercent: 99,
      })),
    },
    plugin: 'check_pgsql',
    pluginArgs: Array.from({ length: targets }, () => [
      '-H',
      host,
      '-P',
      port,
      '-l',
      'postgres',
      '-d',
      'postgres',
    ]),
    runs,
    timeoutMs: 120_000,
  };
}

async function postgresReachable(): Promise<string | undefined> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    host,
    port: Number(port),
    user: 'postgres',
    database: 'postgres',
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${host}:${port} (user postgres) is not reachable: ${(error as Error).message}; start it with scripts/ensure-services.sh`;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function runPgsqlThroughput(context: BenchContext): Promise<SectionResult> {
  const result = emptySection(
    'pgsql-throughput',
    'PostgreSQL connection: healthcheck vs check_pgsql',
  );
  if (!(await availableCheckTypes()).includes('connection-pool')) {
    result.skipped.push('the connection-pool check type is not registered in this build');
    return result;
  }
  const unreachable = await postgresReachable();
  if (unreachable) {
    result.skipped.push(unreachable);
    return result;
  }
  const outcome = await runThroughputCase(pgCase(context.runs), context);
  result.tables.push(
    { title: 'Wall time', columns: throughputColumns, rows: throughputRows(outcome) },
    {
      title: 'Where healthcheck run spends its time',
      columns: phaseColumns,
      rows: phaseRows(outcome),
    },
  );
  result.skipped.push(...outcome.skipped);
  result.notes.push(...throughputProblems(outcome));
  result.data[outcome.label] = outcome.results;
  return result;
}

if (import.meta.main) {
  process.stdout.write(renderSection(await runPgsqlThroughput(defaultContext())));
}
