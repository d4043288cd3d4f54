/**
 * The results table, shared by the DynamoDB adapter, the embedded store and the CDK construct so
 * the names cannot drift. One table: per check a STATE item (alert state, version, outbox; its
 * `schemaVersion` attribute is lib/alerting/stored-state.ts's) and one history item per run,
 * `RUN#<scheduled or start time>#<suite or ->`, which expires through DynamoDB TTL. The suite is
 * part of the key so two suites sharing a check at one scheduled time keep both records.
 */
export const tableLayout = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Both keys are strings. */
  keyType: 'S',
  /** Epoch seconds; enable DynamoDB TTL on this attribute. */
  ttlAttribute: 'expiresAt',
  stateSortKey: 'STATE',
  runSortKeyPrefix: 'RUN#',
  checkKeyPrefix: 'CHECK#',
  /** Per suite, one item: its last completed run and since when the watchdog expects runs. */
  suiteKeyPrefix: 'SUITE#',
  suiteRunSortKey: 'LAST_RUN',
  /** Per suite, one item per grouped incident (lib/alerting/incident-group.ts). */
  groupSortKeyPrefix: 'GROUP#',
  /**
   * Per run of a sharded suite, `SHARDRUN#<suite>#<scheduled time>`: each shard's results as
   * gzipped chunks, `SHARD#<index>#<chunk>`, for the aggregation step; expires in days.
   */
  shardRunKeyPrefix: 'SHARDRUN#',
  shardSortKeyPrefix: 'SHARD#',
} as const;

/** How long shard results outlive their run: long enough to look into a failed execution. */
export const shardResultsRetentionSeconds = 2 * 86_400;

export function shardRunPartitionKey(suite: string, scheduledTime: string): string {
  return `${tableLayout.shardRunKeyPrefix}${suite}#${scheduledTime}`;
}

/** Zero-padded so a shard's chunks sort together and in order. */
export function shardSortKey(shard: number, chunk: number): string {
  return `${tableLayout.shardSortKeyPrefix}${String(shard).padStart(5, '0')}#${String(chunk).padStart(4, '0')}`;
}

/** Table name when none is configured (embedded store; `HEALTHCHECK_TABLE` on Lambda). */
export const defaultTableName = 'healthcheck-results';

export function checkPartitionKey(checkId: string): string {
  return `${tableLayout.checkKeyPrefix}${checkId}`;
}

export function suitePartitionKey(suiteId: string): string {
  return `${tableLayout.suiteKeyPrefix}${suiteId}`;
}

/** Groups live under their suite's partition; `-` stands for runs of no single suite. */
export function groupPartitionKey(suite: string | null): string {
  return suitePartitionKey(suite ?? '-');
}

export function groupSortKey(key: string): string {
  return `${tableLayout.groupSortKeyPrefix}${key}`;
}

export function runSortKey(at: string, suite: string | null): string {
  return `${tableLayout.runSortKeyPrefix}${at}#${suite ?? '-'}`;
}

/** The time a run's sort key was written for (`RUN#<time>#<suite>`, or the older `RUN#<time>`). */
export function runTimeOf(sortKey: string): string {
  const rest = sortKey.startsWith(tableLayout.runSortKeyPrefix)
    ? sortKey.slice(tableLayout.runSortKeyPrefix.length)
    : sortKey;
  return rest.split('#')[0] ?? rest;
}

/**
 * Sort-key bounds for history between two times, inclusive: every suite's record at `until`
 * sorts before `~`. Items written before the suite was in the key (`RUN#<time>`) fall in too.
 */
export function runSortKeyRange(since: string, until: string): { from: string; to: string } {
  return {
    from: `${tableLayout.runSortKeyPrefix}${since}`,
    to: `${tableLayout.runSortKeyPrefix}${until}~`,
  };
}

/** Epoch seconds `retentionDays` after `at`: the history item's TTL value. */
export function expiresAtFor(at: Date, retentionDays: number): number {
  return Math.floor(at.getTime() / 1000) + retentionDays * 86_400;
}
