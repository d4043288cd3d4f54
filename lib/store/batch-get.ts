import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { retryWithBackoff } from '../shared/retry.ts';

/** DynamoDB's BatchGetItem limit. */
const batchGetLimit = 100;
/** Unprocessed keys under throttling are asked for again this many times in all, with backoff. */
const batchPolicy = { attempts: 6, baseDelayMs: 50, maxDelayMs: 1000 } as const;

/**
 * Every item of `keys` that exists, strongly consistent, in BatchGetItem batches, asking again
 * for what DynamoDB leaves unprocessed. `what` names the items in the error when it stays so.
 */
export async function batchGetItems(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, unknown>[],
  what: string,
  signal?: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += batchGetLimit) {
    let pending = keys.slice(i, i + batchGetLimit);
    await retryWithBackoff(
      async () => {
        const out = await doc.send(
          new BatchGetCommand({
            RequestItems: { [table]: { Keys: pending, ConsistentRead: true } },
          }),
          { abortSignal: signal },
        );
        items.push(...(out.Responses?.[table] ?? []));
        pending = (out.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
        return pending.length === 0
          ? { done: true, value: undefined }
          : { done: false, problem: `${pending.length} ${what} reads stayed unprocessed` };
      },
      batchPolicy,
      signal,
    );
  }
  return items;
}
