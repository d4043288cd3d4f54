import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { deliverPending, listRefused } from '../../lib/alerting/deliver-pending.ts';
import type { AlertNotification } from '../../lib/alerting/notification.ts';
import { DeliveryError, type Notifier } from '../../lib/alerting/notifier.ts';
import type { ResultStore } from '../../lib/alerting/result-store.ts';
import type { CheckContext } from '../../lib/checks/plugin.ts';
import { parseConfig } from '../../lib/config/load-config.ts';
import type { Status } from '../../lib/core/status.ts';
import { executeRun } from '../../lib/run/execute-run.ts';
import { groupPartitionKey, groupSortKey } from '../../lib/store/table-layout.ts';
import { startDynalite } from '../support/dynalite.ts';
import { loaderOf } from '../support/fake-checks.ts';

/**
 * Grouping, digests and maintenance resolves through executeRun on the runner's store
 * (DynamoDB, on dynalite): what the Lambda does for a whole suite's results.
 */
const dynamo = await startDynalite();

const ids = Array.from({ length: 8 }, (_, i) => `api-${i}`);
const config = parseConfig(
  {
    suites: [{ id: 'morning', schedule: 'cron(0 8 * * ? *)', checks: [...ids, 'backup'] }],
    checks: [
      ...ids.map((id) => ({ id, type: 'disk', paths: ['/'], severity: 'P1' })),
      { id: 'backup', type: 'disk', paths: ['/'], severity: 'P2' },
    ],
    maintenanceWindows: [
      // Open all day, every day, for `backup` only.
      {
        id: 'backup-work',
        schedule: 'cron(0 0 * * ? *)',
        durationMinutes: 1440,
        checks: ['backup'],
      },
    ],
  },
  { env: {} },
);

class RecordingNotifier implements Notifier {
  readonly delivered: AlertNotification[] = [];
  readonly batches: AlertNotification[][] = [];
  fail = 0;
  permanent = false;
  readonly channel: string;
  constructor(channel: string, batch = false) {
    this.channel = channel;
    if (batch) {
      this.deliverBatch = async (list) => {
        if (this.fail-- > 0) throw new DeliveryError('mail relay down');
        this.batches.push([...list]);
      };
    }
  }
  accepts(): boolean {
    return true;
  }
  async deliver(n: AlertNotification): Promise<void> {
    if (this.fail-- > 0) {
      throw new DeliveryError('service unavailable', { permanent: this.permanent });
    }
    this.delivered.push(n);
  }
  deliverBatch?: (list: readonly AlertNotification[]) => Promise<void>;
}

/** Each run is the next hour's slot; every test starts at 01:00 on its own fresh store. */
let hour = 0;
beforeEach(() => {
  hour = 0;
});
async function run(store: ResultStore, notifiers: Notifier[], statuses: Record<string, Status>) {
  hour += 1;
  return executeRun(
    config,
    { suites: ['morning'] },
    {
      loadCheck: loaderOf({
        disk: async (cfg: never, _ctx: CheckContext) => {
          const id = (cfg as { id: string }).id;
          const status = statuses[id] ?? 'ok';
          return {
            status,
            summary: status === 'ok' ? 'fine' : `GET http://10.0.4.7/${id}: connect ETIMEDOUT`,
          };
        },
      }),
      alerting: {
        store,
        notifiers,
        scheduledTime: new Date(Date.UTC(2026, 10, 22, hour)),
      },
    },
  );
}

const all = (status: Status, list = ids) => Object.fromEntries(list.map((id) => [id, status]));

describe('grouping in the suite run, on dynalite', () => {
  it('a storm is one grouped trigger per channel; it resolves once, when its last member does', async () => {
    const { store } = await dynamo.newStore();
    const pager = new RecordingNotifier('pagerduty');
    const r1 = await run(store, [pager], all('critical'));
    expect(pager.delivered).toHaveLength(1);
    const [page] = pager.delivered as [AlertNotification];
    expect(page).toMatchObject({
      event: 'trigger',
      dedupKey: 'morning/group/2026-11-22T01:00:00.000Z',
      summary: '8 checks failing: connect ETIMEDOUT',
      group: { count: 8 },
    });
    expect(r1.alerts.filter((a) => a.grouped === page.dedupKey)).toHaveLength(8);
    const states = await store.getStates(ids);
    expect([...states.values()].every((s) => s.alert.group === page.dedupKey)).toBe(true);
    expect(await store.getIncidentGroups('morning')).toMatchObject([{ members: ids }]);

    // Half recover: they resolve in their own record, the incident stays open.
    await run(store, [pager], { ...all('ok'), ...all('critical', ids.slice(4)) });
    expect(pager.delivered).toHaveLength(1);
    const half = await store.getStates(ids);
    expect(half.get('api-0')?.alert).toMatchObject({ alertedStatus: 'ok' });
    expect(half.get('api-0')?.alert.group).toBeUndefined();
    expect((await store.getIncidentGroups('morning'))[0]?.members).toEqual(ids.slice(4));

    await run(store, [pager], all('ok'));
    expect(pager.delivered.map((n) => [n.event, n.dedupKey])).toEqual([
      ['trigger', page.dedupKey],
      ['resolve', page.dedupKey],
    ]);
    expect(await store.getIncidentGroups('morning')).toEqual([]);
  });

  it('a run that stopped after resolving members but before telling the group: the next run heals it', async () => {
    const { store } = await dynamo.newStore();
    const pager = new RecordingNotifier('pagerduty');
    await run(store, [pager], all('critical'));
    // As if a run wrote every member's resolve, then died before updating the group.
    for (const state of (await store.getStates(ids)).values()) {
      const { group: _group, ...alert } = state.alert;
      await store.putState(
        { ...state, version: state.version + 1, alert: { ...alert, alertedStatus: 'ok' } },
        state.version,
      );
    }
    await run(store, [pager], all('ok'));
    expect(pager.delivered.map((n) => n.event)).toEqual(['trigger', 'resolve']);
    expect(await store.getIncidentGroups('morning')).toEqual([]);
  });

  it('a group whose record was lost still resolves, with its first member that recovers', async () => {
    const { store, tableName } = await dynamo.newStore();
    const pager = new RecordingNotifier('pagerduty');
    await run(store, [pager], all('critical'));
    const [group] = await store.getIncidentGroups('morning');
    // As if the record were lost (a damaged store salvaged without it).
    await dynamo.client.send(
      new DeleteItemCommand({
        TableName: tableName,
        Key: {
          pk: { S: groupPartitionKey('morning') },
          sk: { S: groupSortKey(group?.key ?? '') },
        },
      }),
    );
    await run(store, [pager], { ...all('critical'), 'api-0': 'ok' });
    expect(pager.delivered.map((n) => [n.event, n.dedupKey])).toEqual([
      ['trigger', group?.key],
      ['resolve', group?.key],
    ]);
    // The others recovering later: the incident is closed, not re-created and resolved again.
    await run(store, [pager], all('ok'));
    expect(pager.delivered).toHaveLength(2);
  });

  it('a grouped trigger the channel refused is kept and delivered by the next run', async () => {
    const { store } = await dynamo.newStore();
    const pager = new RecordingNotifier('pagerduty');
    pager.fail = 1;
    const r1 = await run(store, [pager], all('critical'));
    expect(r1.alerts.find((a) => a.members === 8)).toMatchObject({ pending: ['pagerduty'] });
    expect(pager.delivered).toEqual([]);
    const r2 = await run(store, [pager], all('critical'));
    expect(r2.alerts).toMatchObject([{ event: 'trigger', retry: true, delivered: ['pagerduty'] }]);
    expect(pager.delivered).toHaveLength(1);
  });

  it("a grouped trigger refused for good is listed and replayed like a check's", async () => {
    const { store } = await dynamo.newStore();
    const pager = new RecordingNotifier('pagerduty');
    pager.permanent = true;
    pager.fail = 1;
    await run(store, [pager], all('critical'));
    const refused = await listRefused(store, ids, undefined, ['morning']);
    expect(refused).toMatchObject([
      { check: expect.stringMatching(/^morning\/group\//), event: 'trigger', channel: 'pagerduty' },
    ]);
    // Runs leave it alone; replay sends it.
    await run(store, [pager], all('critical'));
    expect(pager.delivered).toEqual([]);
    const replayed = await deliverPending(ids, {
      store,
      notifiers: [pager],
      suites: ['morning'],
      requeue: () => true,
    });
    expect(replayed.requeued).toBe(1);
    expect(pager.delivered.map((n) => n.dedupKey)).toEqual([refused[0]?.check]);
    expect(await listRefused(store, ids, undefined, ['morning'])).toEqual([]);
  });

  it('a digest channel gets one batch per run; a failed digest keeps every entry and is retried whole', async () => {
    const { store } = await dynamo.newStore();
    const email = new RecordingNotifier('email', true);
    // Three checks: below minChecks, so three notifications, in one digest.
    const three = all('critical', ids.slice(0, 3));
    email.fail = 1;
    const r1 = await run(store, [email], three);
    expect(r1.alerts.filter((a) => a.event === 'trigger')).toHaveLength(3);
    expect(r1.alerts.every((a) => a.pending?.includes('email'))).toBe(true);
    expect(email.batches).toEqual([]);
    await run(store, [email], three);
    expect(email.batches.map((b) => b.map((n) => n.check).sort())).toEqual([ids.slice(0, 3)]);
    // Recovery: the three resolves together, one digest.
    await run(store, [email], {});
    expect(email.batches[1]?.map((n) => n.event)).toEqual(['resolve', 'resolve', 'resolve']);
    expect(email.delivered).toEqual([]);
  });

  it('a resolve is delivered inside a maintenance window; the trigger was held', async () => {
    const { store } = await dynamo.newStore();
    const pager = new RecordingNotifier('pagerduty');
    // `backup` was already open before the window covered it (stored as alerted).
    const at = '2026-11-21T00:00:00.000Z';
    await store.putState(
      {
        check: 'backup',
        version: 1,
        appliedSlots: [],
        alert: {
          lastStatus: 'critical',
          statusSince: at,
          failingSince: at,
          consecutiveFailures: 3,
          consecutiveSuccesses: 0,
          alertedStatus: 'critical',
          lastNotifiedAt: at,
          lastRunAt: at,
          outbox: [],
          openOn: ['pagerduty'],
        },
      },
      undefined,
    );
    const r1 = await run(store, [pager], { backup: 'ok' });
    expect(r1.alerts).toMatchObject([
      { check: 'backup', event: 'resolve', delivered: ['pagerduty'] },
    ]);
    const r2 = await run(store, [pager], { backup: 'critical' });
    expect(r2.alerts).toMatchObject([
      { check: 'backup', event: 'trigger', held: expect.stringContaining('backup-work') },
    ]);
    expect(pager.delivered.map((n) => n.event)).toEqual(['resolve']);
  });
});
