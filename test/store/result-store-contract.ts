import { describe, expect, it } from 'vitest';
import { initialAlertState } from '../../lib/alerting/alert-state.ts';
import type { StoredIncidentGroup } from '../../lib/alerting/incident-group.ts';
import type { AlertNotification } from '../../lib/alerting/notification.ts';
import type { ResultStore, StoredCheckState } from '../../lib/alerting/result-store.ts';
import type { CheckResult } from '../../lib/core/result.ts';
import { expiresAtFor } from '../../lib/store/table-layout.ts';
import { result, state } from './fixtures.ts';

/**
 * What every ResultStore adapter must do, as one reusable suite: call it from the adapter's test
 * file with a factory that gives a fresh, empty store per call.
 *
 *   resultStoreContract('DynamoResultStore on dynalite', async () => (await dynamo.newStore()).store);
 */
export function resultStoreContract(name: string, newStore: () => Promise<ResultStore>): void {
  const notification: AlertNotification = {
    id: 'a:trigger:2026-11-22T01:00:00.000Z',
    check: 'a',
    suite: 'morning',
    event: 'trigger',
    status: 'critical',
    previousStatus: 'ok',
    severity: 'P1',
    summary: 'pool full',
    details: { used: 99, nested: { list: [1, 2] } },
    since: '2026-11-22T01:00:00.000Z',
    at: '2026-11-22T01:00:00.000Z',
  };

  describe(`ResultStore contract: ${name}`, () => {
    it('creates, reads back and conditionally replaces STATE', async () => {
      const store = await newStore();
      expect((await store.getStates(['a'])).size).toBe(0);
      expect(await store.putState(state('a', 1), undefined)).toBe(true);
      // A second creator loses: the state exists now.
      expect(await store.putState(state('a', 1), undefined)).toBe(false);
      expect(await store.putState(state('a', 2), 1)).toBe(true);
      // A writer that read version 1 loses to the one that wrote version 2.
      expect(await store.putState(state('a', 2), 1)).toBe(false);
      const got = await store.getStates(['a', 'missing']);
      expect([...got.keys()]).toEqual(['a']);
      expect(got.get('a')?.version).toBe(2);
    });

    it('round-trips every field of a STATE', async () => {
      const store = await newStore();
      const full: StoredCheckState = state('a', 1, {
        appliedSlots: ['morning@2026-11-22T01:00:00.000Z', '-@2027-11-22T01:00:00.000Z'],
        lastResult: result('a', '2026-11-22T01:00:00.000Z', {
          status: 'critical',
          details: { used: 99 },
        }),
        skipped: { at: '2026-11-22T01:05:00.000Z', reason: 'not run' },
        alert: {
          ...initialAlertState('2026-11-22T01:00:00.000Z'),
          lastStatus: 'critical',
          alertedStatus: 'critical',
          failingSince: '2026-11-22T01:00:00.000Z',
          consecutiveFailures: 3,
          lastNotifiedAt: '2026-11-22T01:00:00.000Z',
          openOn: ['email'],
          outbox: [
            {
              notification,
              channels: ['pagerduty'],
              failed: [{ channel: 'sns', error: '400 bad key', at: '2026-11-22T01:00:01.000Z' }],
              attempts: 2,
              lastError: 'pagerduty: 500',
              claimedBy: 'run-1',
              claimedUntil: '2026-11-22T01:02:00.000Z',
            },
          ],
        },
      });
      expect(await store.putState(full, undefined)).toBe(true);
      expect((await store.getStates(['a'])).get('a')).toEqual(full);
    });

    it('reads many states at once (more than one batch)', async () => {
      const store = await newStore();
      const ids = Array.from({ length: 130 }, (_, i) => `check-${i}`);
      await Promise.all(ids.map((id) => store.putState(state(id, 1), undefined)));
      const got = await store.getStates([...ids, ...ids.slice(0, 5)]);
      expect(got.size).toBe(130);
      expect(got.get('check-129')?.check).toBe('check-129');
    });

    it('keeps history per check, answers time ranges inclusively, oldest first, newest on limit', async () => {
      const store = await newStore();
      const times = [0, 1, 2, 3].map((h) => new Date(Date.UTC(2026, 10, 22, h)).toISOString());
      const expiresAt = expiresAtFor(new Date(), 90);
      for (const t of times) {
        await store.appendRuns([{ at: t, suite: 'morning', result: result('c', t) }], expiresAt);
      }
      await store.appendRuns(
        [{ at: times[0] as string, suite: null, result: result('other', times[0] as string) }],
        expiresAt,
      );
      expect((await store.history('c')).map((r) => r.at)).toEqual(times);
      const range = await store.history('c', {
        since: new Date(times[1] as string),
        until: new Date(times[2] as string),
      });
      expect(range.map((r) => r.at)).toEqual([times[1], times[2]]);
      expect((await store.history('c', { limit: 2 })).map((r) => r.at)).toEqual([
        times[2],
        times[3],
      ]);
      expect(await store.history('other')).toHaveLength(1);
    });

    it('writes many records at once, all of them', async () => {
      const store = await newStore();
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

    it('hides history whose expiry passed', async () => {
      const store = await newStore();
      const t = '2026-01-01T00:00:00.000Z';
      await store.appendRuns(
        [{ at: t, suite: null, result: result('d', t) }],
        Math.floor(Date.now() / 1000) - 10,
      );
      expect(await store.history('d')).toEqual([]);
    });

    it('two suites at one scheduled time keep two records; the same suite and time replaces', async () => {
      const store = await newStore();
      const scheduledTime = '2026-11-22T01:00:00.000Z';
      const expiresAt = expiresAtFor(new Date(), 1);
      const record = (suite: string, at: string) => ({
        at,
        scheduledTime,
        suite,
        result: result('e', at, { summary: `${suite} at ${at}` }),
      });
      await store.appendRuns([record('daily', '2026-11-22T01:00:01.000Z')], expiresAt);
      await store.appendRuns([record('weekly', '2026-11-22T01:00:02.000Z')], expiresAt);
      await store.appendRuns([record('weekly', '2026-11-22T01:00:03.000Z')], expiresAt);
      const records = await store.history('e');
      expect(records.map((r) => [r.suite, r.at]).sort()).toEqual([
        ['daily', '2026-11-22T01:00:01.000Z'],
        ['weekly', '2026-11-22T01:00:03.000Z'],
      ]);
      expect(records.every((r) => r.scheduledTime === scheduledTime)).toBe(true);
    });

    it('of concurrent writers that read the same version, exactly one wins', async () => {
      const store = await newStore();
      await store.putState(state('race', 1), undefined);
      const updates = await Promise.all(
        Array.from({ length: 12 }, () => store.putState(state('race', 2), 1)),
      );
      expect(updates.filter(Boolean)).toHaveLength(1);
      const creators = await Promise.all(
        Array.from({ length: 12 }, () => store.putState(state('fresh', 1), undefined)),
      );
      expect(creators.filter(Boolean)).toHaveLength(1);
      // Updating a STATE that does not exist fails its version condition.
      expect(await store.putState(state('ghost', 2), 1)).toBe(false);
      expect((await store.getStates(['ghost'])).size).toBe(0);
    });

    it('keeps ids and text in any language byte for byte', async () => {
      const store = await newStore();
      const id = 'ổ-đĩa-gốc';
      const written = state(id, 1, {
        lastResult: result(id, '2026-11-22T01:00:00.000Z', {
          summary: 'Ổ đĩa gốc 91% — “đầy” 🚨',
          details: { path: '/dữ-liệu', quote: 'a"b\\c' },
        }),
      });
      expect(await store.putState(written, undefined)).toBe(true);
      expect((await store.getStates([id])).get(id)).toEqual(written);
      await store.appendRuns(
        [
          {
            at: '2026-11-22T01:00:00.000Z',
            suite: 'sáng',
            result: written.lastResult as CheckResult,
          },
        ],
        expiresAtFor(new Date(), 1),
      );
      expect((await store.history(id))[0]?.result.summary).toBe('Ổ đĩa gốc 91% — “đầy” 🚨');
    });

    it('answers open-ended ranges and unknown checks', async () => {
      const store = await newStore();
      const times = [0, 1, 2].map((h) => new Date(Date.UTC(2026, 10, 22, h)).toISOString());
      for (const t of times) {
        await store.appendRuns(
          [{ at: t, suite: null, result: result('f', t) }],
          expiresAtFor(new Date(), 1),
        );
      }
      expect(
        (await store.history('f', { since: new Date(times[1] as string) })).map((r) => r.at),
      ).toEqual(times.slice(1));
      expect(
        (await store.history('f', { until: new Date(times[0] as string) })).map((r) => r.at),
      ).toEqual(times.slice(0, 1));
      expect(await store.history('nobody')).toEqual([]);
      expect(await store.history('f', { since: new Date(Date.UTC(2030, 0, 1)) })).toEqual([]);
    });

    it('gives up when its signal aborts', async () => {
      const store = await newStore();
      const controller = new AbortController();
      controller.abort(new Error('deadline'));
      await expect(store.getStates(['a'], controller.signal)).rejects.toThrow();
      await expect(store.putState(state('a', 1), undefined, controller.signal)).rejects.toThrow();
      expect((await store.getStates(['a'])).size).toBe(0);
    });

    it('keeps grouped incidents per suite, conditionally replaced, done ones left out', async () => {
      const store = await newStore();
      const group = (key: string, suite: string | null, version: number): StoredIncidentGroup => ({
        key,
        suite,
        version,
        causeKey: 'connect ETIMEDOUT@host:10.0.4.7',
        cause: 'connect ETIMEDOUT at 10.0.4.7',
        openedAt: '2026-11-22T01:00:00.000Z',
        members: ['a', 'b'],
        total: 2,
        severity: 'P1',
        status: 'critical',
        outbox: [
          {
            notification: { ...notification, dedupKey: key },
            channels: ['pagerduty'],
            attempts: 0,
          },
        ],
        openOn: [],
      });
      expect(await store.getIncidentGroups('morning')).toEqual([]);
      const g1 = group('morning/group/2026-11-22T01:00:00.000Z', 'morning', 1);
      expect(await store.putIncidentGroup(g1, undefined)).toBe(true);
      expect(await store.putIncidentGroup(g1, undefined)).toBe(false);
      expect(await store.putIncidentGroup(group('-/group/x', null, 1), undefined)).toBe(true);
      expect(await store.getIncidentGroups('morning')).toEqual([g1]);
      expect((await store.getIncidentGroups(null)).map((g) => g.key)).toEqual(['-/group/x']);
      expect(await store.getIncidentGroups('weekly')).toEqual([]);
      const g2 = { ...g1, version: 2, members: ['b'] };
      expect(await store.putIncidentGroup(g2, 1)).toBe(true);
      // A writer that read version 1 loses.
      expect(await store.putIncidentGroup({ ...g1, version: 2 }, 1)).toBe(false);
      expect((await store.getIncidentGroups('morning'))[0]?.members).toEqual(['b']);
      // Closed with a resolve still waiting: still there. Delivered: left out.
      // Closed just now: kept a while (7 days) before an adapter may drop it.
      const closed = { ...g2, version: 3, members: [], closedAt: new Date().toISOString() };
      expect(await store.putIncidentGroup(closed, 2)).toBe(true);
      expect(await store.getIncidentGroups('morning')).toHaveLength(1);
      expect(await store.putIncidentGroup({ ...closed, version: 4, outbox: [] }, 3)).toBe(true);
      expect(await store.getIncidentGroups('morning')).toEqual([]);
      // Still there for whoever asks: a closed incident is closed, not missing.
      expect(
        (await store.getIncidentGroups('morning', undefined, { includeDone: true })).map(
          (g) => g.version,
        ),
      ).toEqual([4]);
    });
  });
}
