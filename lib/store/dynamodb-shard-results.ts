import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { CheckResultSchema } from '../alerting/stored-state.ts';
import type { CheckResult } from '../core/result.ts';
import type { ShardRef } from '../shard/shard-ref.ts';
import type { ShardResultStore, SuiteRunKey } from '../shard/shard-result-store.ts';
import {
  shardResultsRetentionSeconds,
  shardRunPartitionKey,
  shardSortKey,
  tableLayout,
} from './table-layout.ts';

const { partitionKey: pk, sortKey: sk, ttlAttribute } = tableLayout;
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * Bytes of gzipped results per item: DynamoDB's item limit is 400 KB including names and keys,
 * so a chunk stays well under it. A shard of 1,600 checks is typically one chunk.
 */
export const shardChunkBytes = 300_000;

export interface DynamoShardResultStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly now?: () => Date;
}

/**
 * ShardResultStore on the results table. A shard's results are one JSON array, gzipped and cut
 * into chunks; every chunk of one attempt carries that attempt's id and the chunk count. Chunk 0
 * is written last, so it commits the attempt: a reader takes chunk 0's attempt and needs all its
 * chunks, and a retried shard (same keys) overwrites the earlier attempt instead of adding to it.
 */
export class DynamoShardResultStore implements ShardResultStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #now: () => Date;

  constructor(options: DynamoShardResultStoreOptions) {
    this.#doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.#table = options.tableName;
    this.#now = options.now ?? (() => new Date());
  }

  async putShardResults(
    run: SuiteRunKey,
    shard: ShardRef,
    results: readonly CheckResult[],
    signal?: AbortSignal,
  ): Promise<void> {
    const packed = await gzipAsync(Buffer.from(JSON.stringify(results)));
    const chunks: Buffer[] = [];
    for (let at = 0; at < packed.length || chunks.length === 0; at += shardChunkBytes) {
      chunks.push(packed.subarray(at, at + shardChunkBytes));
    }
    const attempt = randomUUID();
    const expiresAt = Math.floor(this.#now().getTime() / 1000) + shardResultsRetentionSeconds;
    const put = (chunk: number) =>
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            [pk]: shardRunPartitionKey(run.suite, run.scheduledTime),
            [sk]: shardSortKey(shard.index, chunk),
            attempt,
            chunks: chunks.length,
            checks: results.length,
            data: new Uint8Array(chunks[chunk] as Buffer),
            [ttlAttribute]: expiresAt,
          },
        }),
        { abortSignal: signal },
      );
    for (let chunk = chunks.length - 1; chunk >= 1; chunk--) await put(chunk);
    await put(0);
  }

  async getShardResults(
    run: SuiteRunKey,
    shardCount: number,
    signal?: AbortSignal,
  ): Promise<Map<number, CheckResult[]>> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': pk },
          ExpressionAttributeValues: { ':pk': shardRunPartitionKey(run.suite, run.scheduledTime) },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
        { abortSignal: signal },
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);

    const byShard = new Map<number, Map<number, Record<string, unknown>>>();
    for (const item of items) {
      const [, shard, chunk] = String(item[sk]).split('#');
      const index = Number(shard);
      if (!Number.isInteger(index) || index < 1 || index > shardCount) continue;
      const chunks = byShard.get(index) ?? new Map<number, Record<string, unknown>>();
      chunks.set(Number(chunk), item);
      byShard.set(index, chunks);
    }
    const found = new Map<number, CheckResult[]>();
    for (const [index, chunks] of byShard) {
      const head = chunks.get(0);
      if (!head) continue;
      const parts: Uint8Array[] = [];
      for (let chunk = 0; chunk < Number(head['chunks']); chunk++) {
        const item = chunks.get(chunk);
        // A later attempt is still writing (or died mid-write): this shard has no complete set.
        if (!item || item['attempt'] !== head['attempt']) break;
        parts.push(item['data'] as Uint8Array);
      }
      if (parts.length !== Number(head['chunks'])) continue;
      const results = await readResults(Buffer.concat(parts));
      if (results) found.set(index, results);
    }
    return found;
  }
}

const StoredShardResults = z.array(CheckResultSchema);

/**
 * A shard's stored results, or undefined when the bytes do not hold them (damaged, or written by
 * an incompatible version): that shard then counts as one that did not finish, so its checks are
 * skipped (no alert state changes, reported as a missing shard), never judged on garbage.
 */
async function readResults(data: Buffer): Promise<CheckResult[] | undefined> {
  try {
    const json = JSON.parse((await gunzipAsync(data)).toString('utf8')) as unknown;
    const parsed = StoredShardResults.safeParse(json);
    return parsed.success ? (parsed.data as CheckResult[]) : undefined;
  } catch {
    return undefined;
  }
}
