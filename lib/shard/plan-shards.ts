import { assignShards, type ShardItem } from './assign-shards.ts';

/** What planning needs of a check: id, cost, its own deadline and the host:port it loads. */
export interface PlanCheck extends ShardItem {
  readonly timeoutSeconds: number;
  /** host:port for the per-target limit (lib/core/check-target.ts); none = not limited. */
  readonly target?: string | undefined;
}

export interface PlanLimits {
  /** Checks in flight at once in one invocation (`defaults.concurrency`). */
  readonly concurrency: number;
  /** Checks in flight at once against one target (`defaults.concurrencyPerTarget`). */
  readonly concurrencyPerTarget: number;
  /** What one invocation has for its checks: the runner's timeout minus the recording margin. */
  readonly budgetMs: number;
  /** An upper bound on checks per invocation, to tune shard size by hand. @default no bound */
  readonly maxChecksPerShard?: number;
}

export interface ShardPlan {
  /** 1: the suite runs in one invocation, as before; more: a Distributed Map over shards. */
  readonly shardCount: number;
  /** Worst case of the whole suite in one invocation (every check to its timeout). */
  readonly suiteWorstCaseMs: number;
  /** Worst case of the slowest shard (equals `suiteWorstCaseMs` when not sharded). */
  readonly shardWorstCaseMs: number;
  /** The shards' check ids (0-based), from `assignShards`. */
  readonly shards: readonly (readonly string[])[];
}

/**
 * The worst case of running these checks in one invocation: every check runs to its timeout, in
 * waves of `concurrency`, and checks of one target in waves of `concurrencyPerTarget`; each wave
 * as long as the longest timeout among them.
 */
export function worstCaseMs(checks: readonly PlanCheck[], limits: PlanLimits): number {
  if (checks.length === 0) return 0;
  const perTarget = new Map<string, number>();
  for (const c of checks) {
    if (c.target) perTarget.set(c.target, (perTarget.get(c.target) ?? 0) + 1);
  }
  const targetWaves = Math.max(
    0,
    ...[...perTarget.values()].map((n) => Math.ceil(n / limits.concurrencyPerTarget)),
  );
  const waves = Math.max(Math.ceil(checks.length / limits.concurrency), targetWaves);
  const longest = Math.max(...checks.map((c) => c.timeoutSeconds));
  return Math.round(waves * longest * 1000);
}

/**
 * Whether a suite fits one invocation, and if not, the fewest shards of which every one does.
 * Pure and deterministic: synth calls it to size the state machine's map; the runner and the CLI
 * only need the count it chose (shard membership is `assignShards(checks, count)`). A single
 * check whose own timeout exceeds the budget cannot be helped by sharding (synth warns about it),
 * so a shard of one check always counts as fitting.
 */
export function planShards(checks: readonly PlanCheck[], limits: PlanLimits): ShardPlan {
  const suiteWorstCaseMs = worstCaseMs(checks, limits);
  const maxSize = limits.maxChecksPerShard ?? Number.POSITIVE_INFINITY;
  const fits = (shard: readonly PlanCheck[]) =>
    shard.length <= 1 || (shard.length <= maxSize && worstCaseMs(shard, limits) <= limits.budgetMs);
  if (fits(checks)) {
    return {
      shardCount: 1,
      suiteWorstCaseMs,
      shardWorstCaseMs: suiteWorstCaseMs,
      shards: [checks.map((c) => c.id).sort()],
    };
  }
  const byId = new Map(checks.map((c) => [c.id, c]));
  // Never more shards than checks: past one check a shard, sharding cannot help.
  let count = Math.min(
    checks.length,
    Math.max(
      2,
      Math.ceil(suiteWorstCaseMs / Math.max(1, limits.budgetMs)),
      Number.isFinite(maxSize) ? Math.ceil(checks.length / maxSize) : 2,
    ),
  );
  for (; ; count++) {
    const shards = assignShards(checks, count);
    const members = shards.map((ids) => ids.map((id) => byId.get(id) as PlanCheck));
    if (count >= checks.length || members.every(fits)) {
      return {
        shardCount: count,
        suiteWorstCaseMs,
        shardWorstCaseMs: Math.max(...members.map((m) => worstCaseMs(m, limits))),
        shards,
      };
    }
  }
}
