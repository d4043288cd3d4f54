import { defaultExpectedSeconds } from '../checks/plugin.ts';
import { findCheckPlugin } from '../checks/registry.ts';
import type { CheckConfig, Config } from '../config/load-config.ts';
import { checkTarget } from '../core/check-target.ts';
import { type SelectedChecks, type Selection, selectChecks } from '../core/select-checks.ts';
import { assignShards } from './assign-shards.ts';
import type { PlanCheck } from './plan-shards.ts';
import { type ShardRef, validateShardRef } from './shard-ref.ts';

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
 * One shard of a selection (`healthcheck run --shard I/N`; the runner's shard mode selects one
 * suite): the selection's checks split by `shardsOf`. The run still belongs to the suite when
 * one suite is selected (its id keys the scheduled-time slot, as on AWS).
 */
export function selectShard(config: Config, selection: Selection, ref: ShardRef): SelectedChecks {
  validateShardRef(ref);
  const selected = selectChecks(config, selection);
  return { ...selected, checks: shardsOf(selected.checks, ref.count)[ref.index - 1] ?? [] };
}
