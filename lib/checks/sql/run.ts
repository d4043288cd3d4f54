import { createHash } from 'node:crypto';
import { errorMessage } from '../../core/errors.ts';
import type { CheckOutcome } from '../../core/result.ts';
import { redactText } from '../../core/sanitize.ts';
import { type ConnectionTarget, connectionTarget } from '../../db/connection-target.ts';
import { raceAbort } from '../../shared/abort.ts';
import type { CheckContext } from '../plugin.ts';
import type { SqlCheckConfig, SqlEngine } from './config.ts';
import { evaluateSql } from './evaluate.ts';
import { baselineFrom } from './growth.ts';
import { describeQueryFailure } from './query-failure.ts';
import type { QueryProgress, QueryRunner } from './query-rows.ts';

/** One runner per engine, imported lazily so a MySQL-only config never loads pg. */
const runners: Record<SqlEngine, () => Promise<{ runQuery: QueryRunner }>> = {
  postgres: () => import('./postgres-query.ts'),
  mysql: () => import('./mysql-query.ts'),
};

/**
 * The server stops the statement at 80% of timeoutSeconds (less the time connecting took), so its
 * own "statement timeout" error arrives before the driver's hard stop at 90%.
 */
const serverShare = 0.8;
const minimumStatementMs = 50;

/** What identifies the measurement, so growth never compares two different queries. */
function queryIdentity(config: SqlCheckConfig): string {
  return createHash('sha256')
    .update(JSON.stringify([config.engine, config.query, config.params, config.measure]))
    .digest('hex')
    .slice(0, 16);
}

function withTls(config: SqlCheckConfig) {
  if (config.ca === undefined) return config;
  const tls = typeof config.tls === 'object' ? config.tls : { rejectUnauthorized: true };
  return { ...config, tls: { ...tls, ca: config.ca }, caField: 'ca' };
}

export async function run(config: SqlCheckConfig, context: CheckContext): Promise<CheckOutcome> {
  const started = performance.now();
  const deadlineMs = config.timeoutSeconds * 1000;
  const query = queryIdentity(config);
  const baseline = baselineFrom(context.previous);
  const progress: QueryProgress = { connected: false };
  let target: ConnectionTarget | undefined;
  let answer = new AbortController().signal;
  try {
    target = await connectionTarget(withTls(config));
    const { runQuery } = await runners[config.engine]();
    answer = AbortSignal.timeout(target.connectTimeoutMs);
    const signal = AbortSignal.any([context.signal, answer]);
    const result = await raceAbort(
      runQuery(
        target,
        {
          text: config.query,
          params: config.params,
          applicationName: `healthcheck sql ${config.id}`,
          statementTimeoutMs: () =>
            Math.max(
              minimumStatementMs,
              Math.round(deadlineMs * serverShare - (performance.now() - started)),
            ),
          sessionTimeoutMs: Math.ceil(deadlineMs),
        },
        signal,
        progress,
      ),
      signal,
    );
    const outcome = evaluateSql(config, result, { at: context.now.toISOString(), query }, baseline);
    return { ...outcome, details: { engine: config.engine, ...outcome.details } };
  } catch (error) {
    const reason = target
      ? describeQueryFailure(error, target, { deadline: context.signal, answer }, progress)
      : redactText(errorMessage(error), []);
    return {
      status: 'unknown',
      summary: `${target?.label ?? config.engine}: ${reason}`,
      // The growth baseline survives a run that could not measure.
      details: { engine: config.engine, ...(baseline ? { lastMeasured: baseline } : {}) },
    };
  }
}
