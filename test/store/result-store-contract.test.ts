import { afterAll } from 'vitest';
import { openLocalStore } from '../../lib/store/local-store.ts';
import { startDynalite } from '../support/dynalite.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { describeResultStoreContract } from './result-store-contract.ts';

const dynamo = await startDynalite();
describeResultStoreContract('DynamoDB (dynalite)', async () => (await dynamo.newStore()).store);

const tempDir = useTempDirs();
const opened: { close(): void }[] = [];
afterAll(() => {
  for (const store of opened) store.close();
});
describeResultStoreContract('SQLite (local store)', async () => {
  const local = await openLocalStore(await tempDir(), { access: 'read-write', waitMs: 5_000 });
  opened.push(local);
  return local.store;
});
