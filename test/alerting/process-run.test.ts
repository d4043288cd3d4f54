import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../lib/alerting/notification.ts';
import { DeliveryError, type Notifier } from '../../lib/alerting/notifier.ts';
import type { ResultStore } from '../../lib/alerting/result-store.ts';
import type { CheckContext } from '../../lib/checks/plugin.ts';
import { parseConfig } from '../../lib/config/load-config.ts';
import type { Status } from '../../lib/core/status.ts';
import { PagerDutyClient } from '../../lib/notify/pagerduty-client.ts';
import { PagerDutyNotifier } from '../../lib/notify/pagerduty-notifier.ts';
import { type ExecuteRunDeps, executeRun } from '../../lib/run/execute-run.ts';
import { startDynalite } from '../support/dynalite.ts';
import { loaderOf } from '../support/fake-checks.ts';
import { startFakePagerDuty } from '../support/fake-pagerduty.ts';

const dynamo = await startDynalite();
const routingKey = 'R0UT1NGK3Y0000000000000000000001';

const config = parseConfig(
  {
    checks: [
      {
        id: 'erp-db',
        name: 'ERP database',
        type: 'disk',
        paths: ['/'],
        severity: 'P1',
        runbook: 'https://wiki/erp#db',
      },
      { id: 'root-disk', type: 'disk', paths: ['/'], severity: 'P4' },
    ],
    maintenanceWindows: [{ id: 'all-day', schedule: 'cron(0 0 1 1 ? 2099)', durationMinutes: 60 }],
  },
  { env: {} },
);

/** Records what it accepted; can be told to fail. Stands in for a channel we own the port of. */
class RecordingNotifier implements Notifier {
  readonly delivered: AlertNotification[] = [];
  failWith: DeliveryError | undefined;
  readonly channel: string;
  readonly only: ((n: AlertNotification) => boolean) | undefined;
  constructor(channel: string, only?: (n: AlertNotification) => boolean) {
    this.channel = channel;
    this.only = only;
  }
  accepts(n: AlertNotification): boolean {
    return this.only ? this.only(n) : true;
  }
  async deliver(n: AlertNotification): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.delivered.push(n);
  }
}

function scripted(statuses: Record<string, Status>) {
  const seenPrevious: (string | undefined)[] = [];
  return {
    seenPrevious,
    loadCheck: loaderOf({
      disk: async (cfg: never, ctx: CheckContext) => {
        const id = (cfg as { id: string }).id;
        seenPrevious.push(ctx.previous?.status);
        return { status: statuses[id] ?? 'ok', summary: `${id} is ${statuses[id] ?? 'ok'}` };
      },
    }),
  };
}

async function run(
  store: ResultStore,
  notifiers: Notifier[],
  statuses: Record<string, Status>,
  extra: Partial<ExecuteRunDeps['alerting']> & { now?: Date } = {},
) {
  const { now, ...alerting } = extra;
  return executeRun(
    config,
    { checks: ['erp-db'] },
    {
      loadCheck: scripted(statuses).loadCheck,
      ...(now ? { now: () => now } : {}),
      alerting: { store, notifiers, ...alerting },
    },
  );
}

describe('processRun through executeRun, on dynalite', () => {
  it('broken, broken, fixed: one trigger and one resolve per channel', async () => {
    const { store } = await dynamo.newStore();
    const email = new RecordingNotifier('email');
    const r1 = await run(store, [email], { 'erp-db': 'critical' });
    const r2 = await run(store, [email], { 'erp-db': 'critical' });
    const r3 = await run(store, [email], { 'erp-db': 'ok' });
    expect(r1.alerts).toMatchObject([
      {
        check: 'erp-db',
        event: 'trigger',
        severity: 'P1',
        status: 'critical',
        delivered: ['email'],
        pending: [],
      },
    ]);
    expect(r2.alerts).toEqual([]);
    expect(r3.alerts).toMatchObject([{ event: 'resolve', status: 'ok', delivered: ['email'] }]);
    expect(email.delivered.map((n) => n.event)).toEqual(['trigger', 'resolve']);
    const state = (await store.getStates(['erp-db'])).get('erp-db');
    expect(state?.alert.outbox).toEqual([]);
    expect(state?.alert.alertedStatus).toBe('ok');
    expect(await store.history('erp-db')).toHaveLength(3);
  });

  it('gives each check its previous stored result', async () => {
    const { store } = await dynamo.newStore();
    const script = scripted({ 'erp-db': 'warning' });
    const deps = { loadCheck: script.loadCheck, alerting: { store, notifiers: [] } };
    await executeRun(config, { checks: ['erp-db'] }, deps);
    await executeRun(config, { checks: ['erp-db'] }, deps);
    expect(script.seenPrevious).toEqual([undefined, 'warning']);
  });

  it('two concurrent runs for the same scheduled time produce ONE notification', async () => {
    const { store } = await dynamo.newStore();
    const pd = await startFakePagerDuty();
    try {
      const pager = new PagerDutyNotifier({
        client: new PagerDutyClient({ url: pd.url }),
        routingKey: async () => routingKey,
      });
      const scheduledTime = new Date('2026-11-22T01:00:00Z');
      const reports = await Promise.all(
        Array.from({ length: 4 }, () =>
          run(store, [pager], { 'erp-db': 'critical' }, { scheduledTime }),
        ),
      );
      expect(reports.flatMap((r) => r.alerts).filter((a) => a.event === 'trigger')).toHaveLength(1);
      expect(pd.accepted).toHaveLength(1);
      expect(pd.accepted[0]).toMatchObject({ event_action: 'trigger', dedup_key: 'erp-db' });
      // A redelivery of the same scheduled time later on alerts nothing either, even after a fix.
      const again = await run(store, [pager], { 'erp-db': 'ok' }, { scheduledTime });
      expect(again.alerts).toEqual([]);
      expect(pd.accepted).toHaveLength(1);
      const next = await run(
        store,
        [pager],
        { 'erp-db': 'ok' },
        { scheduledTime: new Date('2026-11-22T02:00:00Z') },
      );
      expect(next.alerts).toMatchObject([{ event: 'resolve' }]);
      expect(pd.accepted.map((e) => [e['event_action'], e['dedup_key']])).toEqual([
        ['trigger', 'erp-db'],
        ['resolve', 'erp-db'],
      ]);
    } finally {
      await pd.close();
    }
  });

  it('an undelivered trigger stays in the outbox and goes out at the next run', async () => {
    const { store } = await dynamo.newStore();
    const pager = new RecordingNotifier('pagerduty');
    const email = new RecordingNotifier('email');
    pager.failWith = new DeliveryError('connection refused');
    const r1 = await run(store, [pager, email], { 'erp-db': 'critical' });
    expect(r1.alerts).toMatchObject([
      { event: 'trigger', delivered: ['email'], pending: ['pagerduty'] },
    ]);
    const stored = (await store.getStates(['erp-db'])).get('erp-db');
    expect(stored?.alert.outbox).toHaveLength(1);
    expect(stored?.alert.outbox[0]).toMatchObject({
      channels: ['pagerduty'],
      attempts: 1,
      lastError: 'pagerduty: connection refused',
    });
    expect(stored?.alert.outbox[0]?.claimedBy).toBeUndefined();
    expect(stored?.alert.openOn).toEqual(['email']);

    pager.failWith = undefined;
    const r2 = await run(store, [pager, email], { 'erp-db': 'critical' });
    expect(r2.alerts).toMatchObject([{ event: 'trigger', retry: true, delivered: ['pagerduty'] }]);
    const r3 = await run(store, [pager, email], { 'erp-db': 'ok' });
    expect(r3.alerts).toMatchObject([{ event: 'resolve', delivered: ['pagerduty', 'email'] }]);
    expect(pager.delivered.map((n) => n.event)).toEqual(['trigger', 'resolve']);
    expect((await store.getStates(['erp-db'])).get('erp-db')?.alert.outbox).toEqual([]);
  });

  it('a trigger that never reached a channel and its resolve cancel out there', async () => {
    const { store } = await dynamo.newStore();
    const pager = new RecordingNotifier('pagerduty');
    const email = new RecordingNotifier('email');
    pager.failWith = new DeliveryError('connection refused');
    await run(store, [pager, email], { 'erp-db': 'critical' });
    // Still down when the check recovers: PagerDuty was never told, so it needs no resolve.
    const r2 = await run(store, [pager, email], { 'erp-db': 'ok' });
    expect(r2.alerts).toMatchObject([{ event: 'resolve', delivered: ['email'], pending: [] }]);
    pager.failWith = undefined;
    const r3 = await run(store, [pager, email], { 'erp-db': 'ok' });
    expect(r3.alerts).toEqual([]);
    expect(pager.delivered).toEqual([]);
    expect(email.delivered.map((n) => n.event)).toEqual(['trigger', 'resolve']);
    const state = (await store.getStates(['erp-db'])).get('erp-db');
    expect(state?.alert.outbox).toEqual([]);
    expect(state?.alert.openOn).toEqual([]);
  });

  it('a permanent refusal is reported, kept as failed (not retried) for status and replay', async () => {
    const { store } = await dynamo.newStore();
    const pager = new RecordingNotifier('pagerduty');
    pager.failWith = new DeliveryError('400 invalid routing key', { permanent: true });
    const r1 = await run(store, [pager], { 'erp-db': 'critical' });
    expect(r1.alerts).toMatchObject([
      { event: 'trigger', delivered: [], pending: [], failed: ['pagerduty'] },
    ]);
    const outbox = (await store.getStates(['erp-db'])).get('erp-db')?.alert.outbox;
    expect(outbox).toMatchObject([
      { channels: [], failed: [{ channel: 'pagerduty', error: '400 invalid routing key' }] },
    ]);
    // The next run does not try again: the refusal needs a fix and a replay.
    pager.failWith = undefined;
    const r2 = await run(store, [pager], { 'erp-db': 'critical' });
    expect(r2.alerts).toEqual([]);
    expect(pager.delivered).toEqual([]);
  });

  it('routes by severity: a channel that does not accept the check never gets it', async () => {
    const { store } = await dynamo.newStore();
    const pager = new RecordingNotifier('pagerduty', (n) => n.severity === 'P1');
    await executeRun(
      config,
      { checks: ['root-disk'] },
      {
        loadCheck: scripted({ 'root-disk': 'critical' }).loadCheck,
        alerting: { store, notifiers: [pager] },
      },
    );
    expect(pager.delivered).toEqual([]);
  });

  it('entries leased by another live run are left alone', async () => {
    const { store } = await dynamo.newStore();
    const pager = new RecordingNotifier('pagerduty');
    pager.failWith = new DeliveryError('down');
    await run(store, [pager], { 'erp-db': 'critical' });
    // Simulate another run holding the lease right now.
    const current = (await store.getStates(['erp-db'])).get('erp-db');
    if (!current) throw new Error('no state');
    const entry = current.alert.outbox[0];
    if (!entry) throw new Error('no outbox entry');
    const leased = {
      ...entry,
      claimedBy: 'other-run',
      claimedUntil: new Date(Date.now() + 60_000).toISOString(),
    };
    expect(
      await store.putState(
        { ...current, version: current.version + 1, alert: { ...current.alert, outbox: [leased] } },
        current.version,
      ),
    ).toBe(true);
    pager.failWith = undefined;
    const r = await run(store, [pager], { 'erp-db': 'critical' });
    expect(r.alerts).toEqual([]);
    expect(pager.delivered).toEqual([]);
    // Once the lease has run out, the entry is fair game again.
    const later = await run(
      store,
      [pager],
      { 'erp-db': 'critical' },
      { now: new Date(Date.now() + 120_000) },
    );
    expect(later.alerts).toMatchObject([
      { event: 'trigger', retry: true, delivered: ['pagerduty'] },
    ]);
  });

  it('maintenance: records, holds, and alerts when the window is over', async () => {
    const { store } = await dynamo.newStore();
    const email = new RecordingNotifier('email');
    const inWindow = new Date('2099-01-01T00:30:00Z');
    const r1 = await run(store, [email], { 'erp-db': 'critical' }, { now: inWindow });
    expect(r1.alerts).toMatchObject([
      { event: 'trigger', held: expect.stringContaining('maintenance window all-day') },
    ]);
    expect(email.delivered).toEqual([]);
    expect(await store.history('erp-db')).toHaveLength(1);
    const r2 = await run(
      store,
      [email],
      { 'erp-db': 'critical' },
      { now: new Date('2099-01-01T01:05:00Z') },
    );
    expect(r2.alerts).toMatchObject([{ event: 'trigger', delivered: ['email'] }]);
    expect(r2.alerts[0]?.held).toBeUndefined();
  });
});
