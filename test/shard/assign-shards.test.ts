import { describe, expect, it } from 'vitest';
import { assignShards, type ShardItem, stableHash } from '../../lib/shard/assign-shards.ts';

const items = (n: number, cost: (i: number) => number = () => 1, prefix = 'check'): ShardItem[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, cost: cost(i) }));

function shardOf(shards: string[][]): Map<string, number> {
  const map = new Map<string, number>();
  shards.forEach((ids, s) => {
    for (const id of ids) map.set(id, s);
  });
  return map;
}

function moved(before: string[][], after: string[][]): string[] {
  const a = shardOf(before);
  const b = shardOf(after);
  return [...a.keys()].filter((id) => b.has(id) && a.get(id) !== b.get(id));
}

describe('stableHash', () => {
  it.each([
    // cyrb53's published value for the empty string, and pinned values: a change here would
    // move checks between shards on the next deploy.
    ['', 3338908027751811],
    ['check-1', 1718863184824442],
    ['0\u0000svc-00001', 7510432997276287],
  ])('is the same on every run and platform: %j', (text, expected) => {
    expect(stableHash(text)).toBe(expected);
  });

  it('spreads similar ids', () => {
    expect(new Set(items(1000).map((i) => stableHash(i.id) % 997)).size).toBeGreaterThan(600);
  });
});

describe('assignShards', () => {
  it.each([
    { checks: 3000, count: 2 },
    { checks: 3000, count: 3 },
    { checks: 5000, count: 4 },
    { checks: 5000, count: 10 },
    { checks: 100, count: 7 },
  ])('places every check exactly once: $checks checks in $count shards', ({ checks, count }) => {
    const shards = assignShards(items(checks), count);
    expect(shards).toHaveLength(count);
    const all = shards.flat();
    expect(all).toHaveLength(checks);
    expect(new Set(all).size).toBe(checks);
  });

  it('is deterministic and independent of config order', () => {
    const list = items(2000, (i) => (i % 3) + 0.5);
    const reversed = [...list].reverse();
    expect(assignShards(list, 5)).toEqual(assignShards(reversed, 5));
  });

  it.each([
    { name: 'equal costs', cost: () => 1 },
    {
      name: 'mixed types (disk 0.1 s, http 0.5 s, kubernetes 2 s)',
      cost: (i: number) => [0.1, 0.5, 2][i % 3] ?? 1,
    },
    { name: 'a few expensive checks', cost: (i: number) => (i % 50 === 0 ? 20 : 0.5) },
  ])('balances expected cost within the slack: $name', ({ cost }) => {
    const list = items(3000, cost);
    const total = list.reduce((sum, i) => sum + i.cost, 0);
    const costById = new Map(list.map((i) => [i.id, i.cost]));
    for (const count of [2, 4, 8]) {
      const loads = assignShards(list, count).map((ids) =>
        ids.reduce((sum, id) => sum + (costById.get(id) ?? 0), 0),
      );
      expect(Math.max(...loads)).toBeLessThanOrEqual((total / count) * 1.15 + 20);
      // No shard is starved either.
      expect(Math.min(...loads)).toBeGreaterThan((total / count) * 0.7);
    }
  });

  it.each([
    { checks: 3000, count: 2 },
    { checks: 3000, count: 4 },
    { checks: 5000, count: 4 },
    { checks: 5000, count: 8 },
  ])(
    'adding one check moves at most that check: $checks checks, $count shards',
    ({ checks, count }) => {
      const before = items(checks);
      for (const added of ['aaa-new', 'check-1500x', 'zzz-new']) {
        const after = [...before, { id: added, cost: 1 }];
        expect(moved(assignShards(before, count), assignShards(after, count))).toEqual([]);
      }
    },
  );

  it('removing one check moves no other', () => {
    const before = items(3000);
    const after = before.filter((i) => i.id !== 'check-17');
    expect(moved(assignShards(before, 3), assignShards(after, 3))).toEqual([]);
  });

  it('one more shard moves about a share of the checks to it, not a reshuffle', () => {
    const list = items(4000);
    const changed = moved(assignShards(list, 4), assignShards(list, 5));
    const five = shardOf(assignShards(list, 5));
    // Rendezvous hashing: mostly checks that move to the new shard, about 1/5 of them.
    expect(changed.length).toBeLessThan(4000 * 0.3);
    expect(changed.filter((id) => five.get(id) === 4).length).toBeGreaterThan(changed.length * 0.8);
  });

  it.each([0, -1, 1.5])('refuses a shard count of %s', (count) => {
    expect(() => assignShards(items(3), count)).toThrow(/positive whole number/);
  });
});
