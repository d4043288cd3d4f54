import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { errorMessage } from '../core/errors.ts';
import { RetryExhaustedError, retryWithBackoff } from '../shared/retry.ts';
import { keySchema } from './dynamodb-store.ts';
import { tableLayout } from './table-layout.ts';

/** Creates the results table if it is missing and waits until it is ACTIVE (embedded store, tests). */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          KeySchema: keySchema,
          AttributeDefinitions: [
            { AttributeName: tableLayout.partitionKey, AttributeType: tableLayout.keyType },
            { AttributeName: tableLayout.sortKey, AttributeType: tableLayout.keyType },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    } catch (createError) {
      if ((createError as Error).name !== 'ResourceInUseException') throw createError;
    }
  }
  try {
    await retryWithBackoff(
      async () => {
        const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
        const status = out.Table?.TableStatus;
        return status === 'ACTIVE'
          ? { done: true, value: undefined }
          : { done: false, problem: `status ${status ?? 'unknown'}` };
      },
      { attempts: 200, baseDelayMs: 25, maxDelayMs: 25 },
    );
  } catch (error) {
    if (!(error instanceof RetryExhaustedError)) throw error;
    throw new Error(`table ${tableName} did not become ACTIVE (${errorMessage(error.problem)})`);
  }
}
