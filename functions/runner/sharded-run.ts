import type { Notifier } from '../../lib/alerting/notifier.ts';
import type { Config } from '../../lib/config/load-config.ts';
import type { Status } from '../../lib/core/status.ts';
import { worstStatus } from '../../lib/core/status.ts';
import { aggregateSuiteRun } from '../../lib/run/aggregate-run.ts';
import { runSelected } from '../../lib/run/execute-run.ts';
import { formatShardRef } from '../../lib/shard/shard-ref.ts';
import type { ShardResultStore } from '../../lib/shard/shard-result-store.ts';
import { selectShard } from '../../lib/shard/suite-shards.ts';
import { completeSuiteRun, runBudget, suiteAlerting } from './complete-run.ts';
import { AggregateRunEvent, parseRunEvent, ShardRunEvent } from './scheduled-event.ts';
import type { SuiteRunnerDeps } from './suite-runner.ts';

type ShardedDeps = SuiteRunnerDeps & {
  readonly notifiersFor: (config: Config) => Promise<readonly Notifier[]>;
};

/**
 * What a shard task returns to the state machine: counts only. Step Functions passes at most
 * 256 KB between states, and the results themselves are in the table.
 */
export interface ShardRunSummary {
  readonly suite: string;
  readonly scheduledTime: string;
  readonly shard: string;
  readonly status: Status;
  readonly checks: number;
  readonly failed: number;
  readonly skipped: number;
}

/** What the aggregation step returns: counts only, for the same reason. */
export interface AggregateSummary {
  readonly suite: string;
  readonly scheduledTime: string;
  readonly status: Status;
  readonly checks: number;
  readonly failed: number;
  readonly skipped: number;
  readonly alerts: number;
  readonly missingShards: readonly number[];
}

function shardStore(deps: SuiteRunnerDeps): ShardResultStore {
  if (!deps.shardResults)
    throw new Error('sharded runs need a shard result store (the stack sets it)');
  return deps.shardResults;
}

/**
 * Shard mode: run this shard's checks under the invocation's budget and store their results
 * (not alert state) for the aggregation step. A retried shard reruns and overwrites its results;
 * nothing alerts here, so a retry can alert nothing twice. Checks the budget cut off are stored
 * as skipped and stay skipped: the aggregation changes no alert state for them.
 */
export async function runShardTask(
  deps: ShardedDeps,
  event: unknown,
  remainingMs: number,
): Promise<ShardRunSummary> {
  const { suite, scheduledTime, shard } = parseRunEvent(ShardRunEvent, event);
  const config = deps.config();
  const budget = runBudget(remainingMs);
  try {
    const selected = selectShard(config, { suites: [suite] }, shard);
    // Read only: each check's previous result (what some checks compare with) and run order.
    const states = await deps.store.getStates(
      selected.checks.map((c) => c.id),
      budget.recording,
    );
    const results = await runSelected(config, selected, states, {
      loadCheck: deps.loadCheck,
      secrets: deps.secrets,
      signal: budget.checks,
      scheduledTime: new Date(scheduledTime),
    });
    await shardStore(deps).putShardResults(
      { suite, scheduledTime: new Date(scheduledTime).toISOString() },
      shard,
      results,
      budget.recording,
    );
    const summary: ShardRunSummary = {
      suite,
      scheduledTime,
      shard: formatShardRef(shard),
      status: worstStatus(results.map((r) => r.status)),
      checks: results.length,
      failed: results.filter((r) => r.status !== 'ok' && !r.skipped).length,
      skipped: results.filter((r) => r.skipped).length,
    };
    deps.logger.info('shard ran', { ...summary });
    return summary;
  } finally {
    budget.dispose();
  }
}

/**
 * Aggregate mode: the suite's results from every shard that finished, recorded and alerted once
 * for the whole suite (its grouping and its scheduled-time slot apply as in an unsharded run),
 * then everything a completed run does (SuiteCompleted, metrics, status page). Checks of a shard
 * that never finished are skipped: no `unknown`, no alert.
 */
export async function aggregateShardTask(
  deps: ShardedDeps,
  event: unknown,
  remainingMs: number,
): Promise<AggregateSummary> {
  const { suite, scheduledTime, shardCount } = parseRunEvent(AggregateRunEvent, event);
  const config = deps.config();
  const budget = runBudget(remainingMs);
  try {
    const stored = await shardStore(deps).getShardResults(
      { suite, scheduledTime: new Date(scheduledTime).toISOString() },
      shardCount,
      budget.recording,
    );
    const report = await aggregateSuiteRun(config, { suite, shardCount }, stored, {
      alerting: suiteAlerting(deps, await deps.notifiersFor(config), scheduledTime, budget),
    });
    if (report.missingShards.length > 0) {
      deps.logger.error(
        `${report.missingShards.length} of ${shardCount} shards stored no results; their checks count as not run`,
        { suite, scheduledTime, shards: report.missingShards },
      );
    }
    const failed = await completeSuiteRun(deps, config, { suite, scheduledTime }, report, budget, {
      shards: shardCount,
      missingShards: report.missingShards.length,
    });
    return {
      suite,
      scheduledTime,
      status: report.status,
      checks: report.results.length,
      failed,
      skipped: report.skipped?.length ?? 0,
      alerts: report.alerts.length,
      missingShards: report.missingShards,
    };
  } finally {
    budget.dispose();
  }
}
