import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynaliteThread, startDynaliteThread } from './dynalite-thread.ts';
import { DynamoResultStore } from './dynamodb-store.ts';
import { ensureTable } from './ensure-table.ts';
import { lockStateDir } from './state-dir-lock.ts';
import { defaultTableName } from './table-layout.ts';

export interface EmbeddedStore {
  readonly store: DynamoResultStore;
  readonly stateDir: string;
  close(): Promise<void>;
}

/**
 * The local store: the same DynamoDB adapter as on AWS, against dynalite (in a worker thread) whose
 * LevelDB files live under `<stateDir>/dynamodb`. Listens on 127.0.0.1 only, on a free port.
 */
export async function openEmbeddedStore(
  stateDir: string,
  options: { tableName?: string; lockWaitMs?: number } = {},
): Promise<EmbeddedStore> {
  const dir = resolve(stateDir);
  await mkdir(dir, { recursive: true });
  const lock = await lockStateDir(dir, options.lockWaitMs);
  let server: DynaliteThread | undefined;
  let client: DynamoDBClient | undefined;
  const close = async (): Promise<void> => {
    client?.destroy();
    await server?.close();
    await lock.release();
  };
  try {
    server = await startDynaliteThread(join(dir, 'dynamodb'));
    client = new DynamoDBClient({
      endpoint: server.endpoint,
      region: 'local',
      // dynalite checks that requests are signed, not by whom.
      credentials: { accessKeyId: 'embedded', secretAccessKey: 'embedded' },
    });
    const tableName = options.tableName ?? defaultTableName;
    await ensureTable(client, tableName);
    return { store: new DynamoResultStore({ client, tableName }), stateDir: dir, close };
  } catch (error) {
    await close();
    throw error;
  }
}
