import { describe, expect, it } from 'vitest';
import type { AlertState } from '../../lib/alerting/alert-state.ts';
import { type AlertCheck, applyResult } from '../../lib/alerting/state-machine.ts';
import type { CheckResult } from '../../lib/core/result.ts';
import type { Status } from '../../lib/core/status.ts';

const check: AlertCheck = {
  id: 'erp-db',
  name: 'Cơ sở dữ liệu ERP',
  severity: 'P2',
  runbook: 'https://wiki/runbooks#db',
  failureThreshold: 1,
  successThreshold: 1,
};

const t0 = Date.parse('2026-11-22T01:00:00.000Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000);

function result(status: Status): CheckResult {
  return {
    check: check.id,
    type: 'connection-pool',
    status,
    summary: `pool is ${status}`,
    details: { used: 42 },
    durationMs: 3,
    startedAt: at(0).toISOString(),
    finishedAt: at(0).toISOString(),
  };
}

interface Step {
  readonly status: Status;
  /** Expected notification (event/status) or null for none. */
  readonly expect: readonly [string, Status] | null;
  readonly hold?: boolean;
  /** Failing parents (`dependsOn`) in this run. */
  readonly parents?: readonly string[];
  readonly minutes?: number;
}

/** Feeds statuses through the machine one run per step (60 minutes apart unless given). */
function play(steps: readonly Step[], settings: Partial<AlertCheck> = {}) {
  let state: AlertState | undefined;
  return steps.map((step, i) => {
    const t = applyResult({
      previous: state,
      result: result(step.status),
      check: { ...check, ...settings },
      suite: 'morning',
      now: at(step.minutes ?? i * 60),
      ...(step.hold ? { hold: 'maintenance window erp until later' } : {}),
      ...(step.parents ? { suppressedBy: step.parents } : {}),
    });
    state = t.state;
    return { transition: t, step };
  });
}

const cases: { name: string; settings?: Partial<AlertCheck>; steps: Step[] }[] = [
  {
    name: 'ok stays quiet',
    steps: [
      { status: 'ok', expect: null },
      { status: 'ok', expect: null },
    ],
  },
  {
    name: 'ok -> critical triggers once, stays quiet while failing, resolves once',
    steps: [
      { status: 'ok', expect: null },
      { status: 'critical', expect: ['trigger', 'critical'] },
      { status: 'critical', expect: null },
      { status: 'ok', expect: ['resolve', 'ok'] },
      { status: 'ok', expect: null },
    ],
  },
  {
    name: 'first ever run failing triggers (no previous state)',
    steps: [{ status: 'unknown', expect: ['trigger', 'unknown'] }],
  },
  {
    name: 'warning -> critical escalates; critical -> warning does not re-alert',
    steps: [
      { status: 'warning', expect: ['trigger', 'warning'] },
      { status: 'critical', expect: ['trigger', 'critical'] },
      { status: 'warning', expect: null },
      { status: 'critical', expect: null },
      { status: 'ok', expect: ['resolve', 'ok'] },
    ],
  },
  {
    name: 'warning -> unknown escalates',
    steps: [
      { status: 'warning', expect: ['trigger', 'warning'] },
      { status: 'unknown', expect: ['trigger', 'unknown'] },
    ],
  },
  {
    name: 'failureThreshold 3 waits for three consecutive failures',
    settings: { failureThreshold: 3 },
    steps: [
      { status: 'critical', expect: null },
      { status: 'critical', expect: null },
      { status: 'ok', expect: null },
      { status: 'critical', expect: null },
      { status: 'warning', expect: null },
      { status: 'critical', expect: ['trigger', 'critical'] },
    ],
  },
  {
    name: 'successThreshold 2 resolves after two consecutive oks',
    settings: { successThreshold: 2 },
    steps: [
      { status: 'critical', expect: ['trigger', 'critical'] },
      { status: 'ok', expect: null },
      { status: 'critical', expect: null },
      { status: 'ok', expect: null },
      { status: 'ok', expect: ['resolve', 'ok'] },
    ],
  },
  {
    name: 'no reminders by default',
    steps: [
      { status: 'critical', expect: ['trigger', 'critical'] },
      { status: 'critical', expect: null, minutes: 60 * 24 * 7 },
    ],
  },
  {
    name: 'remindEvery re-notifies once the interval has passed since the last notification',
    settings: { remindEverySeconds: 4 * 3600 },
    steps: [
      { status: 'critical', expect: ['trigger', 'critical'], minutes: 0 },
      { status: 'critical', expect: null, minutes: 120 },
      { status: 'critical', expect: ['reminder', 'critical'], minutes: 240 },
      { status: 'critical', expect: null, minutes: 300 },
      { status: 'critical', expect: ['reminder', 'critical'], minutes: 480 },
      { status: 'ok', expect: ['resolve', 'ok'], minutes: 500 },
    ],
  },
  {
    name: 'no reminder while ok but not yet resolved (successThreshold 2): never a "still OK"',
    settings: { remindEverySeconds: 3600, successThreshold: 2 },
    steps: [
      { status: 'critical', expect: ['trigger', 'critical'], minutes: 0 },
      { status: 'ok', expect: null, minutes: 120 },
      { status: 'critical', expect: ['reminder', 'critical'], minutes: 240 },
      { status: 'ok', expect: null, minutes: 480 },
      { status: 'ok', expect: ['resolve', 'ok'], minutes: 720 },
    ],
  },
  {
    name: 'a reminder carries the current (milder) failing status, not a stale one',
    settings: { remindEverySeconds: 3600 },
    steps: [
      { status: 'critical', expect: ['trigger', 'critical'], minutes: 0 },
      { status: 'warning', expect: ['reminder', 'warning'], minutes: 90 },
    ],
  },
  {
    name: 'remindEvery 0 (rejected by validate) sends no reminder every run',
    settings: { remindEverySeconds: 0 },
    steps: [
      { status: 'critical', expect: ['trigger', 'critical'], minutes: 0 },
      { status: 'critical', expect: null, minutes: 60 },
    ],
  },
  {
    name: 'maintenance holds the trigger and alerts after the window if still failing',
    steps: [
      { status: 'critical', expect: null, hold: true },
      { status: 'critical', expect: null, hold: true },
      { status: 'critical', expect: ['trigger', 'critical'] },
    ],
  },
  {
    name: 'maintenance: failing only inside the window never alerts',
    steps: [
      { status: 'critical', expect: null, hold: true },
      { status: 'ok', expect: null, hold: true },
      { status: 'ok', expect: null },
    ],
  },
  {
    // Alertmanager #226/#2754: an incident must not stay open for the length of the window.
    name: 'a resolve is delivered inside a maintenance window',
    steps: [
      { status: 'critical', expect: ['trigger', 'critical'] },
      { status: 'ok', expect: ['resolve', 'ok'], hold: true },
      { status: 'ok', expect: null },
    ],
  },
  {
    name: 'maintenance holds reminders and escalations, not the resolve',
    settings: { remindEverySeconds: 3600 },
    steps: [
      { status: 'warning', expect: ['trigger', 'warning'] },
      { status: 'warning', expect: null, hold: true },
      { status: 'critical', expect: null, hold: true },
      { status: 'ok', expect: ['resolve', 'ok'], hold: true },
    ],
  },
  {
    name: 'maxReminders caps reminders per incident; a new incident starts the count again',
    settings: { remindEverySeconds: 3600, maxReminders: 2 },
    steps: [
      { status: 'critical', expect: ['trigger', 'critical'] },
      { status: 'critical', expect: ['reminder', 'critical'] },
      { status: 'critical', expect: ['reminder', 'critical'] },
      { status: 'critical', expect: null },
      { status: 'critical', expect: null },
      { status: 'ok', expect: ['resolve', 'ok'] },
      { status: 'critical', expect: ['trigger', 'critical'] },
      { status: 'critical', expect: ['reminder', 'critical'] },
    ],
  },
  {
    name: 'a failing parent suppresses the new incident; once the parent is ok the child pages',
    steps: [
      { status: 'critical', expect: null, parents: ['erp-network'] },
      { status: 'critical', expect: null, parents: ['erp-network'] },
      { status: 'critical', expect: ['trigger', 'critical'] },
      { status: 'ok', expect: ['resolve', 'ok'] },
    ],
  },
  {
    name: 'a child that recovers while its parent fails records it and sends nothing it never opened',
    steps: [
      { status: 'critical', expect: null, parents: ['erp-network'] },
      { status: 'ok', expect: null, parents: ['erp-network'] },
    ],
  },
  {
    name: 'suppression never touches an incident already open: escalation and resolve go out',
    steps: [
      { status: 'warning', expect: ['trigger', 'warning'] },
      { status: 'critical', expect: ['trigger', 'critical'], parents: ['erp-network'] },
      { status: 'ok', expect: ['resolve', 'ok'], parents: ['erp-network'] },
    ],
  },
];

describe('alert state machine', () => {
  for (const c of cases) {
    it(c.name, () => {
      for (const { transition, step } of play(c.steps, c.settings)) {
        const got = transition.notification
          ? [transition.notification.event, transition.notification.status]
          : null;
        expect(got, `step ${JSON.stringify(step)}`).toEqual(step.expect);
        // A window holds everything but a resolve.
        if (step.hold && transition.notification) {
          expect(transition.notification.event).toBe('resolve');
        }
      }
    });
  }

  it('a notification with status ok is always a resolve, whatever the sequence and settings', () => {
    // A deterministic pseudo-random walk over statuses, thresholds, reminders and holds.
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const all: Status[] = ['ok', 'warning', 'unknown', 'critical'];
    let notifications = 0;
    for (let walk = 0; walk < 50; walk++) {
      const settings = {
        failureThreshold: 1 + Math.floor(next() * 3),
        successThreshold: 1 + Math.floor(next() * 3),
        remindEverySeconds: 1800,
      };
      const steps: Step[] = Array.from({ length: 40 }, (_, i) => ({
        status: next() < 0.5 ? 'ok' : (all[Math.floor(next() * 4)] as Status),
        expect: null,
        minutes: i * 45,
        hold: next() < 0.1,
      }));
      for (const { transition } of play(steps, settings)) {
        const n = transition.notification;
        if (!n) continue;
        notifications++;
        if (n.status === 'ok') expect(n.event).toBe('resolve');
        if (n.event === 'resolve') expect(n.status).toBe('ok');
      }
    }
    expect(notifications).toBeGreaterThan(100);
  });

  it('reports what a maintenance window held back', () => {
    const [first] = play([{ status: 'critical', expect: null, hold: true }]);
    expect(first?.transition.held).toEqual({
      event: 'trigger',
      status: 'critical',
      reason: 'maintenance window erp until later',
    });
  });

  it('builds notifications with dedup identity, since-times and bounded details', () => {
    const steps = play([
      { status: 'warning', expect: ['trigger', 'warning'], minutes: 0 },
      { status: 'critical', expect: ['trigger', 'critical'], minutes: 30 },
      { status: 'ok', expect: ['resolve', 'ok'], minutes: 90 },
    ]);
    const [trigger, escalation, resolve] = steps.map((s) => s.transition.notification);
    expect(trigger).toMatchObject({
      check: 'erp-db',
      name: 'Cơ sở dữ liệu ERP',
      suite: 'morning',
      severity: 'P2',
      previousStatus: 'ok',
      runbook: 'https://wiki/runbooks#db',
      since: at(0).toISOString(),
      details: { used: 42 },
    });
    expect(escalation).toMatchObject({ previousStatus: 'warning', since: at(0).toISOString() });
    expect(resolve).toMatchObject({
      previousStatus: 'critical',
      since: at(0).toISOString(),
      at: at(90).toISOString(),
    });
    expect(new Set([trigger?.id, escalation?.id, resolve?.id]).size).toBe(3);
    expect(steps[2]?.transition.state.failingSince).toBeUndefined();
  });

  it('keeps huge details out of the notification', () => {
    const big = {
      ...result('critical'),
      details: { lines: Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(100)}`) },
    };
    const t = applyResult({ previous: undefined, result: big, check, suite: null, now: at(0) });
    expect(Buffer.byteLength(JSON.stringify(t.notification?.details))).toBeLessThanOrEqual(4096);
  });

  it('never touches the outbox itself (the caller adds channels)', () => {
    const t = applyResult({
      previous: undefined,
      result: result('critical'),
      check,
      suite: null,
      now: at(0),
    });
    expect(t.state.outbox).toEqual([]);
    expect(t.state.alertedStatus).toBe('critical');
  });
});
