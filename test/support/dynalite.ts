import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll } from 'vitest';
import { DynamoResultStore } from '../../lib/store/dynamodb-store.ts';
import { ensureTable } from '../../lib/store/ensure-table.ts';

export interface TestDynamo {
  readonly client: DynamoDBClient;
  readonly endpoint: string;
  /** A fresh table with a random name, created with the results layout. */
  newStore(): Promise<{ store: DynamoResultStore; tableName: string }>;
}

/** One in-memory dynalite on 127.0.0.1:0 per test file, closed after the file's tests. */
export async function startDynalite(): Promise<TestDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  afterAll(async () => {
    client.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return {
    client,
    endpoint,
    async newStore() {
      const tableName = `results-${Math.random().toString(36).slice(2, 10)}`;
      await ensureTable(client, tableName);
      return { store: new DynamoResultStore({ client, tableName }), tableName };
    },
  };
}
