/**
 * What every ResultStore adapter must do, run against each of them (result-store-contract.test.ts:
 * DynamoDB on dynalite, SQLite on a temp dir), so the Lambda's store and the CLI's cannot drift.
 * Expectations come from the port's contract (lib/store/result-store.ts), not from one adapter.
 */
import { describe, expect, it } from 'vitest';
import { initialAlertState } from '../../lib/alerting/alert-state.ts';
import type { PendingNotification } from '../../lib/alerting/notification.ts';
import type { CheckResult } from '../../lib/core/result.ts';
import type { ResultStore, RunRecord, StoredCheckState } from '../../lib/store/result-store.ts';
import { expiresAtFor } from '../../lib/store/table-layout.ts';

/** A fresh, empty store per call. */
export type StoreFactory = () => Promise<ResultStore>;

export function result(
  check: string,
  startedAt: string,
  extra: Partial<CheckResult> = {},
): CheckResult {
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

export function state(check: string, version: number, lastToken?: string): StoredCheckState {
  return {
    check,
    version,
    ...(lastToken ? { lastToken } : {}),
    alert: initialAlertState('2026-11-22T01:00:00.000Z'),
  };
}

const hour = (h: number) => new Date(Date.UTC(2026, 10, 22, h)).toISOString();

export function describeResultStoreContract(adapter: string, newStore: StoreFactory): void {
  describe(`ResultStore contract: ${adapter}`, () => {
    it('creates, reads back and conditionally updates STATE items', async () => {
      const store = await newStore();
      expect((await store.getStates(['a'])).size).toBe(0);
      expect(await store.putState(state('a', 1), { expectedVersion: undefined })).toBe(true);
      // A second creator loses: the item exists now.
      expect(await store.putState(state('a', 1), { expectedVersion: undefined })).toBe(false);
      expect(await store.putState(state('a', 2), { expectedVersion: 1 })).toBe(true);
      // A writer that read version 1 loses to the one that wrote version 2.
      expect(await store.putState(state('a', 2), { expectedVersion: 1 })).toBe(false);
      // Updating an item that does not exist fails its version condition.
      expect(await store.putState(state('ghost', 2), { expectedVersion: 1 })).toBe(false);
      const got = await store.getStates(['a', 'missing', 'a']);
      expect([...got.keys()]).toEqual(['a']);
      expect(got.get('a')?.version).toBe(2);
      expect((await store.getStates(['ghost'])).size).toBe(0);
    });

    it('of concurrent writers that read the same version, exactly one wins', async () => {
      const store = await newStore();
      await store.putState(state('race', 1), { expectedVersion: undefined });
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, () => store.putState(state('race', 2), { expectedVersion: 1 })),
      );
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      const creators = await Promise.all(
        Array.from({ length: 12 }, () =>
          store.putState(state('fresh', 1), { expectedVersion: undefined }),
        ),
      );
      expect(creators.filter(Boolean)).toHaveLength(1);
    });

    it('refuses a scheduled-time token that is not newer than the stored one', async () => {
      const store = await newStore();
      const [t1, t2, t3] = [hour(1), hour(2), hour(3)];
      // A new item with a token: no stored token to compare with.
      expect(
        await store.putState(state('b', 1, t2), { expectedVersion: undefined, newToken: t2 }),
      ).toBe(true);
      expect(await store.putState(state('b', 2, t2), { expectedVersion: 1, newToken: t2 })).toBe(
        false,
      );
      expect(await store.putState(state('b', 2, t1), { expectedVersion: 1, newToken: t1 })).toBe(
        false,
      );
      // Without a token (settling an outbox) only the version counts.
      expect(await store.putState(state('b', 2, t2), { expectedVersion: 1 })).toBe(true);
      expect(await store.putState(state('b', 3, t3), { expectedVersion: 2, newToken: t3 })).toBe(
        true,
      );
      expect((await store.getStates(['b'])).get('b')?.lastToken).toBe(t3);
      // An item stored without a token accepts any token.
      await store.putState(state('c', 1), { expectedVersion: undefined });
      expect(await store.putState(state('c', 2, t1), { expectedVersion: 1, newToken: t1 })).toBe(
        true,
      );
    });

    it('returns a STATE item exactly as written: alert state, outbox, last result', async () => {
      const store = await newStore();
      const pending: PendingNotification = {
        notification: {
          id: 'ổ-đĩa:trigger:2026-11-22T01:00:00.000Z',
          check: 'ổ-đĩa',
          name: 'Ổ đĩa gốc',
          suite: 'morning',
          event: 'trigger',
          status: 'critical',
          previousStatus: 'ok',
          severity: 'P1',
          summary: 'disk 91% full',
          details: { paths: ['/', '/var'], nested: { deep: [1, 2, { x: null }] } },
          since: hour(1),
          at: hour(1),
        },
        channels: ['email', 'pagerduty'],
        attempts: 2,
        lastError: 'pagerduty: 503',
        claimedBy: 'run-1',
        claimedUntil: hour(2),
      };
      const written: StoredCheckState = {
        check: 'ổ-đĩa',
        version: 7,
        lastToken: hour(1),
        alert: {
          ...initialAlertState(hour(0)),
          lastStatus: 'critical',
          alertedStatus: 'critical',
          failingSince: hour(1),
          consecutiveFailures: 3,
          outbox: [pending],
        },
        lastResult: result('ổ-đĩa', hour(1), {
          status: 'critical',
          summary: '/ 91% used',
          details: { used: 0.91, list: ['a', 'b'] },
        }),
      };
      expect(await store.putState(written, { expectedVersion: undefined })).toBe(true);
      // toMatchObject: the DynamoDB adapter also hands back its key attributes (pk, sk).
      expect((await store.getStates(['ổ-đĩa'])).get('ổ-đĩa')).toMatchObject(written);
    });

    it('reads more than 100 states at once', async () => {
      const store = await newStore();
      const ids = Array.from({ length: 130 }, (_, i) => `check-${i}`);
      await Promise.all(
        ids.map((id) => store.putState(state(id, 1), { expectedVersion: undefined })),
      );
      const got = await store.getStates(ids);
      expect(got.size).toBe(130);
      expect(got.get('check-129')?.check).toBe('check-129');
    });

    it('keeps history and answers time ranges, oldest first, newest `limit` kept', async () => {
      const store = await newStore();
      const times = [0, 1, 2, 3].map(hour);
      const expiresAt = expiresAtFor(new Date(), 90);
      for (const t of times) {
        await store.appendRuns([{ at: t, suite: 'morning', result: result('c', t) }], expiresAt);
      }
      await store.appendRuns(
        [{ at: hour(0), suite: null, result: result('other', hour(0)) }],
        expiresAt,
      );
      const all = await store.history('c');
      expect(all.map((r) => r.at)).toEqual(times);
      expect(all[0]).toEqual({ at: hour(0), suite: 'morning', result: result('c', hour(0)) });
      const range = await store.history('c', {
        since: new Date(hour(1)),
        until: new Date(hour(2)),
      });
      expect(range.map((r) => r.at)).toEqual([hour(1), hour(2)]);
      expect((await store.history('c', { limit: 2 })).map((r) => r.at)).toEqual([hour(2), hour(3)]);
      expect((await store.history('c', { since: new Date(hour(3)) })).map((r) => r.at)).toEqual([
        hour(3),
      ]);
      expect(await store.history('c', { until: new Date(hour(0)) })).toHaveLength(1);
      expect(await store.history('nobody')).toEqual([]);
      const other = await store.history('other');
      expect(other).toEqual([{ at: hour(0), suite: null, result: result('other', hour(0)) }]);
    });

    it('writes every run of a large batch', async () => {
      const store = await newStore();
      const at = (i: number) => new Date(Date.UTC(2026, 10, 22, 0, i)).toISOString();
      const records: RunRecord[] = Array.from({ length: 60 }, (_, i) => ({
        at: at(i),
        suite: null,
        result: result(`batch-${i % 3}`, at(i)),
      }));
      await store.appendRuns(records, expiresAtFor(new Date(), 1));
      for (const id of ['batch-0', 'batch-1', 'batch-2']) {
        expect(await store.history(id)).toHaveLength(20);
      }
    });

    it('hides history whose expiry has passed', async () => {
      const store = await newStore();
      const t = '2026-01-01T00:00:00.000Z';
      await store.appendRuns(
        [{ at: t, suite: null, result: result('d', t) }],
        Math.floor(Date.now() / 1000) - 10,
      );
      await store.appendRuns(
        [{ at: hour(1), suite: null, result: result('d', hour(1)) }],
        expiresAtFor(new Date(), 1),
      );
      expect((await store.history('d')).map((r) => r.at)).toEqual([hour(1)]);
    });

    it('keys history by scheduled time: a redelivered slot overwrites its record', async () => {
      const store = await newStore();
      const scheduled = hour(1);
      const expiresAt = expiresAtFor(new Date(), 1);
      for (const at of ['2026-11-22T01:00:01.000Z', '2026-11-22T01:00:02.000Z']) {
        await store.appendRuns(
          [{ at, scheduledTime: scheduled, suite: 's', result: result('e', at) }],
          expiresAt,
        );
      }
      const records = await store.history('e');
      expect(records).toHaveLength(1);
      expect(records[0]?.scheduledTime).toBe(scheduled);
      expect(records[0]?.at).toBe('2026-11-22T01:00:02.000Z');
    });
  });
}
