import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  CompletedSuiteRun,
  SuiteRunRecord,
  SuiteRunStore,
} from '../watchdog/suite-run-store.ts';
import { batchGetItems } from './batch-get.ts';
import { suitePartitionKey, tableLayout } from './table-layout.ts';

const { partitionKey: pk, sortKey: sk, suiteRunSortKey, suiteKeyPrefix } = tableLayout;

export interface DynamoSuiteRunStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/**
 * The watchdog's SuiteRunStore on the results table: one `SUITE#<id>` / `LAST_RUN` item per
 * suite, updated in place (UpdateItem, so the runner's record and the watchdog's `watchingSince`
 * never overwrite each other).
 */
export class DynamoSuiteRunStore implements SuiteRunStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: DynamoSuiteRunStoreOptions) {
    this.#doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.#table = options.tableName;
  }

  async recordSuiteRun(suite: string, run: CompletedSuiteRun, signal?: AbortSignal): Promise<void> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { [pk]: suitePartitionKey(suite), [sk]: suiteRunSortKey },
          UpdateExpression:
            'SET #scheduled = :scheduled, #completed = :completed, #status = :status',
          // ISO times in UTC sort as strings; only a later scheduled time moves the record.
          ConditionExpression: 'attribute_not_exists(#scheduled) OR #scheduled < :scheduled',
          ExpressionAttributeNames: {
            '#scheduled': 'lastScheduledTime',
            '#completed': 'lastCompletedAt',
            '#status': 'lastStatus',
          },
          ExpressionAttributeValues: {
            ':scheduled': run.scheduledTime,
            ':completed': run.completedAt,
            ':status': run.status,
          },
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      const lost =
        error instanceof ConditionalCheckFailedException ||
        (error as Error).name === 'ConditionalCheckFailedException';
      // This run, or a later one, is already recorded: nothing to move forward.
      if (!lost) throw error;
    }
  }

  async getSuiteRuns(
    suites: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, SuiteRunRecord>> {
    const keys = [...new Set(suites)].map((id) => ({
      [pk]: suitePartitionKey(id),
      [sk]: suiteRunSortKey,
    }));
    const found = new Map<string, SuiteRunRecord>();
    for (const item of await batchGetItems(this.#doc, this.#table, keys, 'suite record', signal)) {
      const suite = String(item[pk]).slice(suiteKeyPrefix.length);
      const text = (key: string) =>
        typeof item[key] === 'string' ? { [key]: item[key] as string } : {};
      found.set(suite, {
        suite,
        ...text('lastScheduledTime'),
        ...text('lastCompletedAt'),
        ...text('lastStatus'),
        ...text('watchingSince'),
      } as SuiteRunRecord);
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
}
