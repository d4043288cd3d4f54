import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  closedGroupRetentionSeconds,
  groupIsDone,
  incidentGroupItem,
  parseIncidentGroup,
  type StoredIncidentGroup,
} from '../alerting/incident-group.ts';
import type {
  HistoryRange,
  ResultStore,
  RunRecord,
  StoredCheckState,
} from '../alerting/result-store.ts';
import { parseStoredState, storedStateItem } from '../alerting/stored-state.ts';
import { retryWithBackoff } from '../shared/retry.ts';
import { batchGetItems } from './batch-get.ts';
import {
  checkPartitionKey,
  groupPartitionKey,
  groupSortKey,
  runSortKey,
  runSortKeyRange,
  tableLayout,
} from './table-layout.ts';

const { partitionKey: pk, sortKey: sk, ttlAttribute, stateSortKey } = tableLayout;

/** DynamoDB's BatchWriteItem limit. */
const batchWriteLimit = 25;
/** Unprocessed items under throttling are resent this many times in all, with backoff. */
const batchPolicy = { attempts: 6, baseDelayMs: 50, maxDelayMs: 1000 } as const;

type BatchRequest = { PutRequest: { Item: Record<string, unknown> } };

export interface DynamoResultStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** DynamoDB key schema of the results table, for CreateTable (embedded store, tests). */
export const keySchema: KeySchemaElement[] = [
  { AttributeName: pk, KeyType: 'HASH' },
  { AttributeName: sk, KeyType: 'RANGE' },
];

/** The ResultStore on DynamoDB: one STATE item per check and TTL'd `RUN#` history items (lib/store/table-layout.ts). */
export class DynamoResultStore implements ResultStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: DynamoResultStoreOptions) {
    this.#doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
    });
    this.#table = options.tableName;
  }

  async getStates(
    checkIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, StoredCheckState>> {
    const keys = [...new Set(checkIds)].map((id) => ({
      [pk]: checkPartitionKey(id),
      [sk]: stateSortKey,
    }));
    const found = new Map<string, StoredCheckState>();
    for (const item of await batchGetItems(this.#doc, this.#table, keys, 'STATE', signal)) {
      const check = String(item[pk]).slice(tableLayout.checkKeyPrefix.length);
      found.set(check, parseStoredState(item, check));
    }
    return found;
  }

  async putState(
    next: StoredCheckState,
    expectedVersion: number | undefined,
    signal?: AbortSignal,
  ): Promise<boolean> {
    return this.#conditionalPut(
      { ...storedStateItem(next), [pk]: checkPartitionKey(next.check), [sk]: stateSortKey },
      expectedVersion,
      signal,
    );
  }

  async getIncidentGroups(
    suite: string | null,
    signal?: AbortSignal,
    options: { readonly includeDone?: boolean } = {},
  ): Promise<StoredIncidentGroup[]> {
    const groups: StoredIncidentGroup[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': pk, '#sk': sk },
          ExpressionAttributeValues: {
            ':pk': groupPartitionKey(suite),
            ':prefix': tableLayout.groupSortKeyPrefix,
          },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
        { abortSignal: signal },
      );
      for (const item of out.Items ?? []) {
        const group = parseIncidentGroup(item);
        if (group && (options.includeDone || !groupIsDone(group))) groups.push(group);
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return groups;
  }

  async putIncidentGroup(
    next: StoredIncidentGroup,
    expectedVersion: number | undefined,
    signal?: AbortSignal,
  ): Promise<boolean> {
    // A closed group expires through the table's TTL once kept long enough for `status`.
    const expires = next.closedAt
      ? {
          [ttlAttribute]:
            Math.floor(Date.parse(next.closedAt) / 1000) + closedGroupRetentionSeconds,
        }
      : {};
    return this.#conditionalPut(
      {
        ...incidentGroupItem(next),
        ...expires,
        [pk]: groupPartitionKey(next.suite),
        [sk]: groupSortKey(next.key),
      },
      expectedVersion,
      signal,
    );
  }

  /** A put that succeeds only when the item is new (no expected version) or still at it. */
  async #conditionalPut(
    item: Record<string, unknown>,
    expectedVersion: number | undefined,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const fresh = expectedVersion === undefined;
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: fresh ? 'attribute_not_exists(#key)' : '#version = :version',
          ExpressionAttributeNames: fresh ? { '#key': pk } : { '#version': 'version' },
          ...(fresh ? {} : { ExpressionAttributeValues: { ':version': expectedVersion } }),
        }),
        { abortSignal: signal },
      );
      return true;
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error).name === 'ConditionalCheckFailedException'
      ) {
        return false;
      }
      throw error;
    }
  }

  async appendRuns(
    records: readonly RunRecord[],
    expiresAt: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const requests = records.map((record) => ({
      PutRequest: {
        Item: {
          ...record,
          [pk]: checkPartitionKey(record.result.check),
          [sk]: runSortKey(record.scheduledTime ?? record.at, record.suite),
          [ttlAttribute]: expiresAt,
        },
      },
    }));
    // One key twice cannot share a batch (DynamoDB refuses it); the later record wins, as a put would.
    const unique = [
      ...new Map(
        requests.map((r) => [`${r.PutRequest.Item[pk]}|${r.PutRequest.Item[sk]}`, r]),
      ).values(),
    ];
    for (let i = 0; i < unique.length; i += batchWriteLimit) {
      await this.#writeBatch(unique.slice(i, i + batchWriteLimit), signal);
    }
  }

  /** BatchWriteItem, resending what DynamoDB reports unprocessed (throttling) with backoff. */
  async #writeBatch(requests: BatchRequest[], signal?: AbortSignal): Promise<void> {
    let pending = requests;
    await retryWithBackoff(
      async () => {
        const answer = await this.#doc.send(
          new BatchWriteCommand({ RequestItems: { [this.#table]: pending } }),
          { abortSignal: signal },
        );
        pending = (answer.UnprocessedItems?.[this.#table] ?? []) as BatchRequest[];
        return pending.length === 0
          ? { done: true, value: undefined }
          : { done: false, problem: `${pending.length} history items stayed unprocessed` };
      },
      batchPolicy,
      signal,
    );
  }

  async history(
    checkId: string,
    range: HistoryRange = {},
    signal?: AbortSignal,
  ): Promise<RunRecord[]> {
    const limit = range.limit ?? 500;
    // '~' sorts after every ISO timestamp character, so an open range ends after the newest run.
    const { from, to } = runSortKeyRange(
      range.since?.toISOString() ?? '',
      range.until?.toISOString() ?? '~',
    );
    const nowSeconds = Math.floor(Date.now() / 1000);
    const records: RunRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#pk': pk, '#sk': sk },
          ExpressionAttributeValues: {
            ':pk': checkPartitionKey(checkId),
            ':from': from,
            ':to': to,
          },
          ScanIndexForward: false,
          Limit: Math.min(limit - records.length, 1000),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
        { abortSignal: signal },
      );
      for (const item of out.Items ?? []) {
        // DynamoDB deletes expired items lazily (dynalite never does): hide them like AWS would.
        const expires = item[ttlAttribute];
        if (typeof expires === 'number' && expires < nowSeconds) continue;
        records.push({
          at: item['at'] as string,
          suite: (item['suite'] as string | null | undefined) ?? null,
          ...(item['scheduledTime'] ? { scheduledTime: item['scheduledTime'] as string } : {}),
          result: item['result'] as RunRecord['result'],
        });
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey && records.length < limit);
    return records.reverse();
  }
}
