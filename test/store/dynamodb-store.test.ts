import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { initialAlertState } from '../../lib/alerting/alert-state.ts';
import { StoredStateVersionError } from '../../lib/alerting/result-store.ts';
import { stateSchemaVersion } from '../../lib/alerting/stored-state.ts';
import { expiresAtFor, tableLayout } from '../../lib/store/table-layout.ts';
import { startDynalite } from '../support/dynalite.ts';
import { resultStoreContract } from './result-store-contract.ts';

const dynamo = await startDynalite();

resultStoreContract('DynamoResultStore on dynalite', async () => (await dynamo.newStore()).store);

const key = (check: string, sk: string) => ({
  [tableLayout.partitionKey]: { S: `CHECK#${check}` },
  [tableLayout.sortKey]: { S: sk },
});

async function putRaw(tableName: string, item: Record<string, unknown>): Promise<void> {
  await dynamo.client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: marshall(item, { removeUndefinedValues: true }),
    }),
  );
}

describe('DynamoResultStore: the STATE item', () => {
  it('is written with its schema version', async () => {
    const { store, tableName } = await dynamo.newStore();
    await store.putState(
      {
        check: 'a',
        version: 1,
        appliedSlots: [],
        alert: initialAlertState('2026-11-22T01:00:00.000Z'),
      },
      undefined,
    );
    const raw = await dynamo.client.send(
      new GetItemCommand({ TableName: tableName, Key: key('a', tableLayout.stateSortKey) }),
    );
    expect(unmarshall(raw.Item ?? {})['schemaVersion']).toBe(stateSchemaVersion);
  });

  it('reads a schema-1 item (the lastToken ordering) as applied slots that never block', async () => {
    const { store, tableName } = await dynamo.newStore();
    await putRaw(tableName, {
      pk: 'CHECK#old',
      sk: 'STATE',
      check: 'old',
      version: 7,
      lastToken: '2027-11-22T01:00:00.000Z',
      alert: {
        ...initialAlertState('2026-11-22T01:00:00.000Z'),
        openOn: undefined,
        alertedStatus: 'critical',
        outbox: [],
      },
    });
    const got = (await store.getStates(['old'])).get('old');
    expect(got?.version).toBe(7);
    expect(got?.appliedSlots).toEqual([]);
    expect(got?.alert.alertedStatus).toBe('critical');
    expect(got?.alert.openOn).toBeUndefined();
  });

  it('a damaged item comes back fresh at its stored version, so the next write replaces it', async () => {
    const { store, tableName } = await dynamo.newStore();
    await putRaw(tableName, {
      pk: 'CHECK#bad',
      sk: 'STATE',
      schemaVersion: 2,
      check: 'bad',
      version: 3,
      alert: { lastStatus: 'purple' },
    });
    const got = (await store.getStates(['bad'])).get('bad') as {
      damaged?: string;
      version: number;
    };
    expect(got.version).toBe(3);
    expect(got.damaged).toMatch(/alert/);
    expect(
      await store.putState(
        {
          check: 'bad',
          version: 4,
          appliedSlots: [],
          alert: initialAlertState('2026-11-22T01:00:00.000Z'),
        },
        3,
      ),
    ).toBe(true);
    expect((await store.getStates(['bad'])).get('bad')).not.toHaveProperty('damaged');
  });

  it('refuses to read (and so to overwrite) an item from a newer schema', async () => {
    const { store, tableName } = await dynamo.newStore();
    await putRaw(tableName, {
      pk: 'CHECK#new',
      sk: 'STATE',
      schemaVersion: 99,
      check: 'new',
      version: 1,
    });
    await expect(store.getStates(['new'])).rejects.toBeInstanceOf(StoredStateVersionError);
  });
});

describe('DynamoResultStore: history items', () => {
  it('are keyed by time and suite, with the TTL attribute', async () => {
    const { store, tableName } = await dynamo.newStore();
    const now = new Date();
    const t = '2026-11-22T01:00:00.000Z';
    await store.appendRuns(
      [
        {
          at: t,
          suite: 'morning',
          result: {
            check: 'c',
            type: 'disk',
            status: 'ok',
            summary: 'fine',
            details: {},
            durationMs: 1,
            startedAt: t,
            finishedAt: t,
          },
        },
      ],
      expiresAtFor(now, 90),
    );
    const raw = await dynamo.client.send(
      new GetItemCommand({ TableName: tableName, Key: key('c', `RUN#${t}#morning`) }),
    );
    expect(Number(raw.Item?.[tableLayout.ttlAttribute]?.N)).toBe(
      Math.floor(now.getTime() / 1000) + 90 * 86400,
    );
  });

  it('items written before the suite was in the key still show in history', async () => {
    const { store, tableName } = await dynamo.newStore();
    const t = '2026-11-20T01:00:00.000Z';
    await putRaw(tableName, {
      pk: 'CHECK#legacy',
      sk: `RUN#${t}`,
      at: t,
      suite: null,
      result: {
        check: 'legacy',
        type: 'disk',
        status: 'warning',
        summary: 'old',
        details: {},
        durationMs: 1,
        startedAt: t,
        finishedAt: t,
      },
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });
    const records = await store.history('legacy', { since: new Date(t), until: new Date(t) });
    expect(records.map((r) => r.result.summary)).toEqual(['old']);
  });
});
