import type { CheckResult } from '../core/result.ts';
import type { ShardRef } from './shard-ref.ts';

/** One scheduled run of a sharded suite: what its shards' results are filed under. */
export interface SuiteRunKey {
  readonly suite: string;
  /** ISO time of the scheduled slot (the run's idempotency key). */
  readonly scheduledTime: string;
}

/**
 * Where the shards of one suite run leave their results for the aggregation step, which alerts
 * once for the whole suite. Short-lived: results, not alert state (STATE items stay the alerting
 * core's, written once per run by the aggregation step). Adapter: lib/store/dynamodb-shard-results.ts.
 * Every call takes an optional AbortSignal; I/O failures throw.
 */
export interface ShardResultStore {
  /** Stores a shard's results, replacing whatever an earlier attempt of the same shard stored. */
  putShardResults(
    run: SuiteRunKey,
    shard: ShardRef,
    results: readonly CheckResult[],
    signal?: AbortSignal,
  ): Promise<void>;
  /**
   * The results of every shard that stored a complete set, by 1-based shard index; a shard that
   * never finished (failed after its retries) is absent.
   */
  getShardResults(
    run: SuiteRunKey,
    shardCount: number,
    signal?: AbortSignal,
  ): Promise<Map<number, CheckResult[]>>;
}
