/** A check as shard assignment sees it: its id (what keeps it in place) and its expected cost. */
export interface ShardItem {
  readonly id: string;
  /** Expected seconds of one run (the check type's `expectedSeconds`). */
  readonly cost: number;
}

/**
 * How far above the mean load a shard may fill before its next check goes to the check's next
 * choice. Large enough that a shard is rarely full (hash variance at hundreds of checks a shard
 * is a few percent), so adding a check moves at most that check; small enough to stay balanced.
 */
export const shardLoadSlack = 0.15;

/**
 * A 53-bit string hash (cyrb53): the same on every platform and Node version, which is what keeps
 * a check in its shard between deploys. Not cryptographic; it only has to spread ids evenly.
 */
export function stableHash(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The shards in the order this check prefers them (rendezvous hashing: highest score first). */
function preferences(id: string, count: number): number[] {
  const scores = Array.from({ length: count }, (_, shard) => stableHash(`${shard}\u0000${id}`));
  return scores.map((_, shard) => shard).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
}

/**
 * Splits checks into `count` shards, balanced by expected cost and stable by id: rendezvous
 * hashing with bounded loads. Each check ranks the shards by a hash of (shard, id) and goes to
 * the first whose load stays under the mean plus `shardLoadSlack` (a bound on both cost and
 * number of checks, since the worst case counts checks). The result depends only on the set of
 * checks and `count`, never on config order, so the runner, the aggregation step and
 * `healthcheck run --shard` all compute the same shards. Adding one check moves that check only,
 * unless it fills a shard to its bound; removing a shard's checks never moves the others.
 *
 * Returns `count` lists of ids (0-based shard index), each sorted by id.
 */
export function assignShards(items: readonly ShardItem[], count: number): string[][] {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`shard count must be a positive whole number, not ${count}`);
  }
  const shards: string[][] = Array.from({ length: count }, () => []);
  if (count === 1) {
    shards[0] = items.map((i) => i.id).sort();
    return shards;
  }
  const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const totalCost = sorted.reduce((sum, i) => sum + Math.max(0, i.cost), 0);
  const maxCost = sorted.reduce((max, i) => Math.max(max, i.cost), 0);
  const costBound = Math.max(maxCost, (totalCost / count) * (1 + shardLoadSlack));
  const sizeBound = Math.max(1, Math.ceil((sorted.length / count) * (1 + shardLoadSlack)));
  const cost = new Array<number>(count).fill(0);
  for (const item of sorted) {
    const ranked = preferences(item.id, count);
    const fits = (s: number) =>
      (shards[s]?.length ?? 0) < sizeBound && (cost[s] ?? 0) + item.cost <= costBound;
    // Every shard full (only possible with tiny suites): the least loaded one takes it.
    const chosen =
      ranked.find(fits) ??
      ranked.reduce((best, s) => ((cost[s] ?? 0) < (cost[best] ?? 0) ? s : best), ranked[0] ?? 0);
    shards[chosen]?.push(item.id);
    cost[chosen] = (cost[chosen] ?? 0) + item.cost;
  }
  return shards;
}
