import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { initialAlertState } from '../../lib/alerting/alert-state.ts';
import type { StoredCheckState } from '../../lib/alerting/result-store.ts';
import type { CheckResult } from '../../lib/core/result.ts';
import { expiresAtFor, tableLayout } from '../../lib/store/table-layout.ts';
import { startDynalite } from '../support/dynalite.ts';

const dynamo = await startDynalite();

function result(check: string, startedAt: string, extra: Partial<CheckResult> = {}): CheckResult {
  return {
    check,
    type: 'disk',
    status: 'ok',
    summary: 'fine',
    details: {},
    durationMs: 1,
    startedAt,
    finishedAt: startedAt,
    ...extra,
  };
}

function state(check: string, version: number, lastToken?: string): StoredCheckState {
  return {
    check,
    version,
    ...(lastToken ? { lastToken } : {}),
    alert: initialAlertState('2026-11-22T01:00:00.000Z'),
  };
}

describe('DynamoResultStore on dynalite', () => {
  it('creates, reads back and conditionally updates STATE items', async () => {
    const { store } = await dynamo.newStore();
    expect((await store.getStates(['a'])).size).toBe(0);
    expect(await store.putState(state('a', 1), { expectedVersion: undefined })).toBe(true);
    // A second creator loses: the item exists now.
    expect(await store.putState(state('a', 1), { expectedVersion: undefined })).toBe(false);
    expect(await store.putState(state('a', 2), { expectedVersion: 1 })).toBe(true);
    // A writer that read version 1 loses to the one that wrote version 2.
    expect(await store.putState(state('a', 2), { expectedVersion: 1 })).toBe(false);
    const got = (await store.getStates(['a', 'missing'])).get('a');
    expect(got?.version).toBe(2);
    expect(got?.alert.alertedStatus).toBe('ok');
  });

  it('refuses a scheduled-time token that is not newer than the stored one', async () => {
    const { store } = await dynamo.newStore();
    const t1 = '2026-11-22T01:00:00.000Z';
    const t2 = '2026-11-22T02:00:00.000Z';
    expect(
      await store.putState(state('b', 1, t2), { expectedVersion: undefined, newToken: t2 }),
    ).toBe(true);
    expect(await store.putState(state('b', 2, t2), { expectedVersion: 1, newToken: t2 })).toBe(
      false,
    );
    expect(await store.putState(state('b', 2, t1), { expectedVersion: 1, newToken: t1 })).toBe(
      false,
    );
    expect(await store.putState(state('b', 2, t2), { expectedVersion: 1 })).toBe(true);
  });

  it('reads more than 100 states (BatchGet chunks)', async () => {
    const { store } = await dynamo.newStore();
    const ids = Array.from({ length: 130 }, (_, i) => `check-${i}`);
    await Promise.all(
      ids.map((id) => store.putState(state(id, 1), { expectedVersion: undefined })),
    );
    const got = await store.getStates(ids);
    expect(got.size).toBe(130);
  });

  it('keeps history with a TTL attribute and answers time ranges, oldest first', async () => {
    const { store, tableName } = await dynamo.newStore();
    const now = new Date();
    const times = [0, 1, 2, 3].map((h) => new Date(Date.UTC(2026, 10, 22, h)).toISOString());
    const expiresAt = expiresAtFor(now, 90);
    for (const t of times) {
      await store.appendRuns([{ at: t, suite: 'morning', result: result('c', t) }], expiresAt);
    }
    await store.appendRuns(
      [{ at: times[0] ?? '', suite: null, result: result('other', times[0] ?? '') }],
      expiresAt,
    );
    const all = await store.history('c');
    expect(all.map((r) => r.at)).toEqual(times);
    const range = await store.history('c', {
      since: new Date(times[1] ?? ''),
      until: new Date(times[2] ?? ''),
    });
    expect(range.map((r) => r.at)).toEqual([times[1], times[2]]);
    expect((await store.history('c', { limit: 2 })).map((r) => r.at)).toEqual([times[2], times[3]]);
    const raw = await dynamo.client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: {
          [tableLayout.partitionKey]: { S: 'CHECK#c' },
          [tableLayout.sortKey]: { S: `RUN#${times[0]}` },
        },
      }),
    );
    expect(Number(raw.Item?.[tableLayout.ttlAttribute]?.N)).toBe(
      Math.floor(now.getTime() / 1000) + 90 * 86400,
    );
  });

  it('writes many runs in batches, all of them', async () => {
    const { store } = await dynamo.newStore();
    const at = (i: number) => new Date(Date.UTC(2026, 10, 22, 0, i)).toISOString();
    const records = Array.from({ length: 60 }, (_, i) => ({
      at: at(i),
      suite: null,
      result: result(`batch-${i % 3}`, at(i)),
    }));
    await store.appendRuns(records, expiresAtFor(new Date(), 1));
    for (const id of ['batch-0', 'batch-1', 'batch-2']) {
      expect(await store.history(id)).toHaveLength(20);
    }
  });

  it('hides history items whose TTL passed (DynamoDB deletes them lazily)', async () => {
    const { store } = await dynamo.newStore();
    const t = '2026-01-01T00:00:00.000Z';
    await store.appendRuns(
      [{ at: t, suite: null, result: result('d', t) }],
      Math.floor(Date.now() / 1000) - 10,
    );
    expect(await store.history('d')).toEqual([]);
  });

  it('a duplicated run for one scheduled time overwrites its history item instead of adding one', async () => {
    const { store } = await dynamo.newStore();
    const scheduled = '2026-11-22T01:00:00.000Z';
    const expiresAt = expiresAtFor(new Date(), 1);
    await store.appendRuns(
      [
        {
          at: '2026-11-22T01:00:01.000Z',
          scheduledTime: scheduled,
          suite: 's',
          result: result('e', '2026-11-22T01:00:01.000Z'),
        },
      ],
      expiresAt,
    );
    await store.appendRuns(
      [
        {
          at: '2026-11-22T01:00:02.000Z',
          scheduledTime: scheduled,
          suite: 's',
          result: result('e', '2026-11-22T01:00:02.000Z'),
        },
      ],
      expiresAt,
    );
    const records = await store.history('e');
    expect(records).toHaveLength(1);
    expect(records[0]?.scheduledTime).toBe(scheduled);
  });
});
