import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  CompletedSuiteRun,
  HistoryRange,
  PutCondition,
  ResultStore,
  RunRecord,
  StoredCheckState,
  SuiteRunRecord,
} from './result-store.ts';
import { checkPartitionKey, runSortKey, suitePartitionKey, tableLayout } from './table-layout.ts';

const { partitionKey: pk, sortKey: sk, ttlAttribute, stateSortKey, suiteRunSortKey } = tableLayout;

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as Error).name === 'ConditionalCheckFailedException'
  );
}

/** DynamoDB's BatchWriteItem limit. */
const batchWriteLimit = 25;
const maxBatchAttempts = 6;

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

/** The ResultStore on DynamoDB: one STATE item per check and TTL'd `RUN#` history items. */
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
    const found = new Map<string, StoredCheckState>();
    const unique = [...new Set(checkIds)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] = unique
        .slice(i, i + 100)
        .map((id) => ({ [pk]: checkPartitionKey(id), [sk]: stateSortKey }));
      // BatchGet may leave keys unprocessed under throttling; ask again until none are left.
      for (let attempt = 0; keys.length > 0; attempt++) {
        const out = await this.#doc.send(
          new BatchGetCommand({
            RequestItems: { [this.#table]: { Keys: keys, ConsistentRead: true } },
          }),
          { abortSignal: signal },
        );
        for (const item of out.Responses?.[this.#table] ?? []) {
          const state = item as unknown as StoredCheckState;
          found.set(state.check, state);
        }
        keys = (out.UnprocessedKeys?.[this.#table]?.Keys ?? []) as Record<string, unknown>[];
        if (keys.length > 0)
          await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      }
    }
    return found;
  }

  async putState(
    next: StoredCheckState,
    { expectedVersion, newToken }: PutCondition,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    let condition: string;
    if (expectedVersion === undefined) {
      names['#pk'] = pk;
      condition = 'attribute_not_exists(#pk)';
    } else {
      names['#version'] = 'version';
      values[':version'] = expectedVersion;
      condition = '#version = :version';
    }
    if (newToken !== undefined) {
      names['#token'] = 'lastToken';
      values[':token'] = newToken;
      condition = `(${condition}) AND (attribute_not_exists(#token) OR #token < :token)`;
    }
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...next, [pk]: checkPartitionKey(next.check), [sk]: stateSortKey },
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        }),
        { abortSignal: signal },
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async recordSuiteRun(suite: string, run: CompletedSuiteRun, signal?: AbortSignal): Promise<void> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { [pk]: suitePartitionKey(suite), [sk]: suiteRunSortKey },
          UpdateExpression:
            'SET #suite = :suite, #scheduled = :scheduled, #completed = :completed, #status = :status',
          ConditionExpression: 'attribute_not_exists(#scheduled) OR #scheduled < :scheduled',
          ExpressionAttributeNames: {
            '#suite': 'suite',
            '#scheduled': 'lastScheduledTime',
            '#completed': 'lastCompletedAt',
            '#status': 'lastStatus',
          },
          ExpressionAttributeValues: {
            ':suite': suite,
            ':scheduled': run.scheduledTime,
            ':completed': run.completedAt,
            ':status': run.status,
          },
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      // A newer run is already recorded (or this one was): nothing to move forward.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async getSuiteRuns(
    suites: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, SuiteRunRecord>> {
    const found = new Map<string, SuiteRunRecord>();
    const unique = [...new Set(suites)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] = unique
        .slice(i, i + 100)
        .map((id) => ({ [pk]: suitePartitionKey(id), [sk]: suiteRunSortKey }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        const out = await this.#doc.send(
          new BatchGetCommand({
            RequestItems: { [this.#table]: { Keys: keys, ConsistentRead: true } },
          }),
          { abortSignal: signal },
        );
        for (const item of out.Responses?.[this.#table] ?? []) {
          const record = item as unknown as SuiteRunRecord & Record<string, unknown>;
          const suite = String(record[pk]).slice(tableLayout.suiteKeyPrefix.length);
          const { [pk]: _pk, [sk]: _sk, ...rest } = record;
          found.set(suite, { ...rest, suite } as SuiteRunRecord);
        }
        keys = (out.UnprocessedKeys?.[this.#table]?.Keys ?? []) as Record<string, unknown>[];
        if (keys.length > 0) await sleep(Math.min(1000, 50 * 2 ** attempt), undefined, { signal });
      }
    }
    return found;
  }

  async watchSuites(suites: readonly string[], since: Date, signal?: AbortSignal): Promise<void> {
    for (const suite of new Set(suites)) {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { [pk]: suitePartitionKey(suite), [sk]: suiteRunSortKey },
          UpdateExpression: 'SET #since = if_not_exists(#since, :since)',
          ExpressionAttributeNames: { '#since': 'watchingSince' },
          ExpressionAttributeValues: { ':since': since.toISOString() },
        }),
        { abortSignal: signal },
      );
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
          [sk]: runSortKey(record.scheduledTime ?? record.at),
          [ttlAttribute]: expiresAt,
        },
      },
    }));
    // Two runs of one check for the same key cannot share a batch; the later one wins anyway.
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
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= maxBatchAttempts) {
        throw new Error(
          `${pending.length} history items stayed unprocessed after ${attempt} attempts`,
        );
      }
      if (attempt > 0) await sleep(50 * 2 ** attempt, undefined, { signal });
      const answer = await this.#doc.send(
        new BatchWriteCommand({ RequestItems: { [this.#table]: pending } }),
        { abortSignal: signal },
      );
      pending = (answer.UnprocessedItems?.[this.#table] ?? []) as BatchRequest[];
    }
  }

  async history(
    checkId: string,
    range: HistoryRange = {},
    signal?: AbortSignal,
  ): Promise<RunRecord[]> {
    const limit = range.limit ?? 500;
    const from = runSortKey(range.since?.toISOString() ?? '');
    // '~' sorts after every ISO timestamp character, so an open range ends after the newest run.
    const to = runSortKey(range.until?.toISOString() ?? '~');
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
