import { defaultExpectedSeconds } from '../checks/plugin.ts';
import { findCheckPlugin } from '../checks/registry.ts';
import type { CheckConfig, Config } from '../config/load-config.ts';
import { checkTarget } from '../core/check-target.ts';
import { UsageError } from '../core/errors.ts';
import { type SelectedChecks, selectChecks } from '../core/select-checks.ts';
import { assignShards } from './assign-shards.ts';
import type { PlanCheck } from './plan-shards.ts';
import { formatShardRef, type ShardRef, validateShardRef } from './shard-ref.ts';

/** A configured check as shard planning sees it: cost from its plugin, deadline, target. */
export function planCheckOf(check: CheckConfig): PlanCheck {
  return {
    id: check.id,
    cost: findCheckPlugin(check.type)?.expectedSeconds ?? defaultExpectedSeconds,
    timeoutSeconds: check.timeoutSeconds,
    target: checkTarget(check),
  };
}

/** The suite's checks split into `count` shards (0-based), each in config order. */
export function shardsOf(checks: readonly CheckConfig[], count: number): CheckConfig[][] {
  const shardOf = new Map<string, number>();
  assignShards(checks.map(planCheckOf), count).forEach((ids, shard) => {
    for (const id of ids) shardOf.set(id, shard);
  });
  const shards: CheckConfig[][] = Array.from({ length: count }, () => []);
  for (const check of checks) shards[shardOf.get(check.id) ?? 0]?.push(check);
  return shards;
}

/**
 * The checks of one shard of a suite: what the runner's shard mode and `healthcheck run --shard`
 * run. The run still belongs to the suite (its id keys the scheduled-time slot).
 */
export function selectShard(config: Config, suite: string, ref: ShardRef): SelectedChecks {
  validateShardRef(ref);
  const selected = selectChecks(config, { suites: [suite] });
  const checks = shardsOf(selected.checks, ref.count)[ref.index - 1] ?? [];
  return { suite, checks };
}

/** `--shard` needs exactly one suite and no `--check`: a shard is a part of one suite. */
export function shardSuiteOf(selection: {
  readonly suites?: readonly string[];
  readonly checks?: readonly string[];
  readonly shard: ShardRef;
}): string {
  const suites = selection.suites ?? [];
  if (suites.length !== 1 || (selection.checks ?? []).length > 0) {
    throw new UsageError(
      `--shard ${formatShardRef(selection.shard)} runs a part of one suite: give exactly one --suite and no --check`,
    );
  }
  return suites[0] as string;
}
