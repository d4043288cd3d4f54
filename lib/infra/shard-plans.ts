import { runBudgetMs } from '../../functions/runner/run-budget.ts';
import type { Config } from '../config/load-config.ts';
import { selectChecks } from '../core/select-checks.ts';
import { planShards, type ShardPlan } from '../shard/plan-shards.ts';
import { planCheckOf } from '../shard/suite-shards.ts';

/**
 * Each suite's plan for the deployed runner: one invocation when its worst case fits the
 * runner's budget (its timeout minus the recording margin), else the fewest shards that each fit.
 */
export function suiteShardPlans(
  config: Config,
  runnerTimeoutMs: number,
  maxChecksPerShard?: number,
): Map<string, ShardPlan> {
  const limits = {
    concurrency: config.defaults.concurrency,
    concurrencyPerTarget: config.defaults.concurrencyPerTarget,
    budgetMs: runBudgetMs(runnerTimeoutMs),
    ...(maxChecksPerShard === undefined ? {} : { maxChecksPerShard }),
  };
  return new Map(
    config.suites.map((suite) => [
      suite.id,
      planShards(selectChecks(config, { suites: [suite.id] }).checks.map(planCheckOf), limits),
    ]),
  );
}
