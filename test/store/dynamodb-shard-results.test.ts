import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../lib/core/result.ts';
import { runnerTableActions } from '../../lib/infra/runner-grants.ts';
import { DynamoShardResultStore } from '../../lib/store/dynamodb-shard-results.ts';
import { shardRunPartitionKey, shardSortKey } from '../../lib/store/table-layout.ts';
import { startDynalite, type TestDynamo } from '../support/dynalite.ts';

let dynamo: TestDynamo;
let tableName: string;
let store: DynamoShardResultStore;
const sent = new Set<string>();

beforeAll(async () => {
  dynamo = await startDynalite();
  ({ tableName } = await dynamo.newStore());
  dynamo.client.middlewareStack.add(
    (next) => async (args) => {
      const target = (args.request as { headers?: Record<string, string> }).headers?.[
        'x-amz-target'
      ];
      if (target) sent.add(`dynamodb:${target.split('.')[1]}`);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordShardActions' },
  );
  store = new DynamoShardResultStore({ client: dynamo.client, tableName });
});

function results(n: number, detailBytes = 0, prefix = 'c'): CheckResult[] {
  return Array.from({ length: n }, (_, i) => ({
    check: `${prefix}-${i}`,
    type: 'http',
    status: i % 10 === 0 ? 'critical' : 'ok',
    summary: `GET https://svc-${i}.internal/health: 200 in 12 ms`,
    // Random text does not compress: it forces several chunks.
    details: detailBytes ? { body: randomBytes(detailBytes).toString('base64') } : {},
    durationMs: 12,
    startedAt: '2026-12-01T02:00:00.000Z',
    finishedAt: '2026-12-01T02:00:00.012Z',
  }));
}

describe('DynamoShardResultStore', () => {
  it('stores and reads back each shard, under the item limit however large', async () => {
    const run = { suite: 'fleet', scheduledTime: '2026-12-01T02:00:00.000Z' };
    const big = results(400, 3000); // ~1.6 MB of JSON, ~1.2 MB gzipped: several chunks
    await store.putShardResults(run, { index: 1, count: 2 }, big);
    await store.putShardResults(run, { index: 2, count: 2 }, results(10, 0, 'd'));
    const read = await store.getShardResults(run, 2);
    expect(read.get(1)).toEqual(big);
    expect(read.get(2)).toEqual(results(10, 0, 'd'));
  });

  it('a retried shard replaces the earlier attempt, even with fewer chunks', async () => {
    const run = { suite: 'fleet', scheduledTime: '2026-12-01T02:15:00.000Z' };
    await store.putShardResults(run, { index: 1, count: 1 }, results(400, 3000));
    const retry = results(5);
    await store.putShardResults(run, { index: 1, count: 1 }, retry);
    expect((await store.getShardResults(run, 1)).get(1)).toEqual(retry);
  });

  it('a shard whose attempt is incomplete, or that never stored, is absent', async () => {
    const run = { suite: 'fleet', scheduledTime: '2026-12-01T02:30:00.000Z' };
    await store.putShardResults(run, { index: 1, count: 3 }, results(400, 3000));
    // A second attempt died after its first non-head chunk: chunk 1 no longer matches chunk 0.
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: shardRunPartitionKey(run.suite, run.scheduledTime),
          sk: shardSortKey(1, 1),
          attempt: 'a-later-attempt',
          chunks: 2,
          data: new Uint8Array([1, 2, 3]),
        },
      }),
    );
    await store.putShardResults(run, { index: 3, count: 3 }, results(3));
    const read = await store.getShardResults(run, 3);
    expect([...read.keys()]).toEqual([3]);
  });

  it('a shard whose stored bytes are not results is absent, never judged on garbage', async () => {
    const run = { suite: 'fleet', scheduledTime: '2026-12-01T02:45:00.000Z' };
    await store.putShardResults(run, { index: 1, count: 2 }, results(3));
    await store.putShardResults(run, { index: 2, count: 2 }, results(3, 0, 'e'));
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const head = async (shard: number, data: Uint8Array) =>
      doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: shardRunPartitionKey(run.suite, run.scheduledTime),
            sk: shardSortKey(shard, 0),
            attempt: `overwritten-${shard}`,
            chunks: 1,
            data,
          },
        }),
      );
    // Shard 1: not gzip at all. Shard 2: valid gzip of JSON that is not a list of results.
    await head(1, new Uint8Array([1, 2, 3]));
    await head(2, gzipSync(JSON.stringify([{ check: 'x', status: 'fine' }])));
    expect((await store.getShardResults(run, 2)).size).toBe(0);
  });

  it('keeps runs of other suites and slots apart', async () => {
    const a = { suite: 'fleet', scheduledTime: '2026-12-01T03:00:00.000Z' };
    const b = { suite: 'fleet-2', scheduledTime: '2026-12-01T03:00:00.000Z' };
    await store.putShardResults(a, { index: 1, count: 1 }, results(2));
    expect((await store.getShardResults(b, 1)).size).toBe(0);
  });

  it('uses only DynamoDB actions the runner role is granted', () => {
    const granted: readonly string[] = runnerTableActions;
    expect(
      [...sent].filter(
        (a) =>
          !granted.includes(a) && a !== 'dynamodb:CreateTable' && a !== 'dynamodb:DescribeTable',
      ),
    ).toEqual([]);
  });
});
