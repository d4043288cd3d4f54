import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
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
 * The local store: the same DynamoDB adapter as on AWS, against an in-process dynalite whose
 * LevelDB files live under `<stateDir>/dynamodb`. Listens on 127.0.0.1 only, on a free port.
 */
export async function openEmbeddedStore(
  stateDir: string,
  options: { tableName?: string; lockWaitMs?: number } = {},
): Promise<EmbeddedStore> {
  const dir = resolve(stateDir);
  await mkdir(dir, { recursive: true });
  const lock = await lockStateDir(dir, options.lockWaitMs);
  let server: ReturnType<typeof dynalite> | undefined;
  let client: DynamoDBClient | undefined;
  const close = async (): Promise<void> => {
    client?.destroy();
    if (server?.listening) await new Promise<void>((r) => server?.close(() => r()));
    await lock.release();
  };
  try {
    server = dynalite({ path: join(dir, 'dynamodb'), createTableMs: 0 });
    const listening = server;
    await new Promise<void>((r, reject) => {
      listening.once('error', reject);
      listening.listen(0, '127.0.0.1', () => r());
    });
    const { port } = listening.address() as AddressInfo;
    client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
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
