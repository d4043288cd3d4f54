import { describe, expect, it } from 'vitest';
import { runBudgetMs } from '../../functions/runner/run-budget.ts';
import {
  type PlanCheck,
  type PlanLimits,
  planShards,
  worstCaseMs,
} from '../../lib/shard/plan-shards.ts';

const checks = (n: number, extra: (i: number) => Partial<PlanCheck> = () => ({})): PlanCheck[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `c-${String(i).padStart(5, '0')}`,
    cost: 1,
    timeoutSeconds: 20,
    target: `host-${i}:443`,
    ...extra(i),
  }));

// The stack's defaults: a 5-minute runner (270 s for checks), 128 checks at once, 8 per target.
const lambda = { concurrency: 128, concurrencyPerTarget: 8, budgetMs: runBudgetMs(300_000) };

describe('worstCaseMs', () => {
  it.each([
    { name: 'empty', list: [], expected: 0 },
    { name: 'one wave', list: checks(128), expected: 20_000 },
    { name: 'two waves', list: checks(129), expected: 40_000 },
    {
      name: 'longest timeout sets the wave',
      list: checks(10, (i) => ({ timeoutSeconds: i === 3 ? 60 : 5 })),
      expected: 60_000,
    },
    // 40 checks on one database, 8 at once: 5 waves, though 128 could run together.
    {
      name: 'one shared target',
      list: checks(40, () => ({ target: 'db:5432' })),
      expected: 100_000,
    },
    { name: 'no target (disk)', list: checks(40, () => ({ target: undefined })), expected: 20_000 },
  ])('$name', ({ list, expected }) => {
    expect(worstCaseMs(list, lambda)).toBe(expected);
  });
});

describe('planShards', () => {
  it.each([
    // The arithmetic at 32 at once: 32 x floor(270 / 20) = 416 checks fit, 417 do not.
    { name: '416 checks at 32 at once', n: 416, limits: { ...lambda, concurrency: 32 }, shards: 1 },
    { name: '417 checks at 32 at once', n: 417, limits: { ...lambda, concurrency: 32 }, shards: 2 },
    // At the default 128 at once: 13 waves of 20 s fit 270 s, i.e. 1,664 checks.
    { name: '1,664 checks', n: 1664, limits: lambda, shards: 1 },
    { name: '3,000 checks', n: 3000, limits: lambda, shards: 2 },
    { name: '5,000 checks', n: 5000, limits: lambda, shards: 4 },
    {
      name: 'a shard size bound alone',
      n: 400,
      limits: { ...lambda, maxChecksPerShard: 200 },
      shards: 3,
    },
  ])(
    '$name: $shards shard(s)',
    ({ n, limits, shards }: { n: number; limits: PlanLimits; shards: number }) => {
      const plan = planShards(checks(n), limits);
      expect(plan.shardCount).toBe(shards);
      expect(plan.shards.flat()).toHaveLength(n);
      // Every shard fits the budget (and the bound), whatever the count.
      expect(plan.shardWorstCaseMs).toBeLessThanOrEqual(limits.budgetMs);
      for (const shard of plan.shards) {
        expect(shard.length).toBeLessThanOrEqual(
          limits.maxChecksPerShard ?? Number.POSITIVE_INFINITY,
        );
      }
    },
  );

  it('keeps a suite that fits in one piece, with its worst case', () => {
    const plan = planShards(checks(100), lambda);
    expect(plan).toMatchObject({
      shardCount: 1,
      suiteWorstCaseMs: 20_000,
      shardWorstCaseMs: 20_000,
    });
  });

  it('shards a suite of checks on one target by the per-target limit', () => {
    // 200 checks on one gateway, 8 at once, 20 s each: 500 s in one invocation.
    const plan = planShards(
      checks(200, () => ({ target: 'gw:443' })),
      lambda,
    );
    expect(plan.suiteWorstCaseMs).toBe(500_000);
    expect(plan.shardCount).toBeGreaterThan(1);
    expect(plan.shardWorstCaseMs).toBeLessThanOrEqual(lambda.budgetMs);
  });

  it('does not split forever for a check whose own timeout exceeds the budget', () => {
    const plan = planShards(
      checks(3, () => ({ timeoutSeconds: 900 })),
      lambda,
    );
    expect(plan.shardCount).toBeLessThanOrEqual(3);
  });

  it('is deterministic', () => {
    expect(planShards(checks(5000), lambda)).toEqual(planShards(checks(5000), lambda));
  });
});
