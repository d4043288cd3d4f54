/** One shard of a suite run: `index` of `count`, 1-based as `--shard 2/4` writes it. */
export interface ShardRef {
  readonly index: number;
  readonly count: number;
}

export class InvalidShardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidShardError';
  }
}

/** The most shards a suite can have: Distributed Map runs up to 10,000 children at once. */
export const maxShardCount = 10_000;

/** Checks a shard reference, whoever built it (the CLI's `I/N`, the state machine's event). */
export function validateShardRef(ref: ShardRef): ShardRef {
  const { index, count } = ref;
  if (!Number.isInteger(count) || count < 1 || count > maxShardCount) {
    throw new InvalidShardError(
      `shard count must be a whole number from 1 to ${maxShardCount}, not ${count}`,
    );
  }
  if (!Number.isInteger(index) || index < 1 || index > count) {
    throw new InvalidShardError(
      `shard index must be a whole number from 1 to ${count}, not ${index}`,
    );
  }
  return ref;
}

/** Parses `I/N` (e.g. `2/4`: the second of four shards). */
export function parseShardRef(text: string): ShardRef {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) {
    throw new InvalidShardError(
      `expected I/N, e.g. 2/4 (the second of four shards), not "${text}"`,
    );
  }
  return validateShardRef({ index: Number(match[1]), count: Number(match[2]) });
}

export function formatShardRef(ref: ShardRef): string {
  return `${ref.index}/${ref.count}`;
}
