import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
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
  for (let i = 0; i < 200; i++) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
