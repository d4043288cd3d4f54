import { describe, expect, it } from 'vitest';
import type { AlertNotification, OutboxEntry } from '../../lib/alerting/notification.ts';
import {
  claim,
  coalesce,
  type DeliveryOutcome,
  enqueue,
  maxOutboxEntries,
  outboxCounts,
  requeueFailed,
  settle,
} from '../../lib/alerting/outbox.ts';

const t0 = Date.parse('2026-11-22T01:00:00.000Z');
const now = new Date(t0);
const minutes = (m: number) => new Date(t0 + m * 60_000);

let counter = 0;
function note(event: AlertNotification['event'], extra: Partial<AlertNotification> = {}) {
  counter++;
  const at = minutes(counter).toISOString();
  return {
    id: `erp-db:${event}:${at}`,
    check: 'erp-db',
    suite: 'morning',
    event,
    status: event === 'resolve' ? 'ok' : 'critical',
    previousStatus: event === 'resolve' ? 'critical' : 'ok',
    severity: 'P1',
    summary: event,
    details: {},
    since: at,
    at,
    ...extra,
  } satisfies AlertNotification;
}

const entry = (
  n: AlertNotification,
  channels: string[],
  extra: Partial<OutboxEntry> = {},
): OutboxEntry => ({ notification: n, channels, attempts: 0, ...extra });

/** event:channels per entry, for compact expectations. */
const shape = (outbox: readonly OutboxEntry[]) =>
  outbox.map(
    (e) =>
      `${e.notification.event}:${e.channels.join('+')}${e.failed ? `/failed:${e.failed.map((f) => f.channel).join('+')}` : ''}`,
  );

const leaseUntil = minutes(2).toISOString();

interface Case {
  readonly name: string;
  readonly outbox: OutboxEntry[];
  readonly openOn: string[] | undefined;
  readonly expect: string[];
  readonly reasons?: string[];
}

const trigger = note('trigger');
const escalation = note('trigger', { status: 'unknown' });
const resolve = note('resolve');
const trigger2 = note('trigger');

const cases: Case[] = [
  {
    name: 'a newer trigger supersedes an older undelivered one on the same channel',
    outbox: [entry(trigger, ['pagerduty']), entry(escalation, ['pagerduty'])],
    openOn: [],
    expect: ['trigger:pagerduty'],
    reasons: ['superseded by a newer notification'],
  },
  {
    name: 'superseding is per channel: the older entry keeps channels the newer one skips',
    outbox: [entry(trigger, ['pagerduty', 'email']), entry(escalation, ['email'])],
    openOn: [],
    expect: ['trigger:pagerduty', 'trigger:email'],
  },
  {
    name: 'a trigger that never left and its resolve cancel out',
    outbox: [entry(trigger, ['pagerduty']), entry(resolve, ['pagerduty'])],
    openOn: [],
    expect: [],
    reasons: ['its trigger never reached this channel', 'superseded by a newer notification'],
  },
  {
    name: 'the resolve stays where the incident is open (the first trigger was delivered)',
    outbox: [entry(escalation, ['pagerduty']), entry(resolve, ['pagerduty'])],
    openOn: ['pagerduty'],
    expect: ['resolve:pagerduty'],
  },
  {
    name: 'with open incidents unknown (an old state), nothing is cancelled',
    outbox: [entry(trigger, ['pagerduty']), entry(resolve, ['pagerduty'])],
    openOn: undefined,
    expect: ['resolve:pagerduty'],
  },
  {
    name: 'an in-flight trigger is never superseded; the resolve waits behind it',
    outbox: [
      entry(trigger, ['pagerduty'], { claimedBy: 'other', claimedUntil: leaseUntil }),
      entry(resolve, ['pagerduty']),
    ],
    openOn: [],
    expect: ['trigger:pagerduty', 'resolve:pagerduty'],
  },
  {
    name: 'trigger, resolve, trigger all unsent: only the last trigger remains',
    outbox: [
      entry(trigger, ['pagerduty']),
      entry(resolve, ['pagerduty']),
      entry(trigger2, ['pagerduty']),
    ],
    openOn: [],
    expect: ['trigger:pagerduty'],
  },
  {
    name: 'a permanently refused trigger is superseded like a pending one',
    outbox: [
      entry(trigger, [], { failed: [{ channel: 'pagerduty', error: '400', at: leaseUntil }] }),
      entry(escalation, ['pagerduty']),
    ],
    openOn: [],
    expect: ['trigger:pagerduty'],
  },
  {
    name: 'different incidents (dedup keys) do not supersede each other',
    outbox: [
      entry(trigger, ['pagerduty']),
      entry(note('trigger', { dedupKey: 'suite-morning' }), ['pagerduty']),
    ],
    openOn: [],
    expect: ['trigger:pagerduty', 'trigger:pagerduty'],
  },
];

describe('outbox: coalesce', () => {
  for (const c of cases) {
    it(c.name, () => {
      const out = coalesce(c.outbox, c.openOn, now);
      expect(shape(out.outbox)).toEqual(c.expect);
      if (c.reasons) expect(out.dropped.map((d) => d.reason).sort()).toEqual([...c.reasons].sort());
    });
  }

  it(`never keeps more than ${maxOutboxEntries} entries`, () => {
    const many = Array.from({ length: maxOutboxEntries + 5 }, (_, i) =>
      entry(note('trigger', { dedupKey: `k${i}` }), ['email']),
    );
    const out = coalesce(many, [], now);
    expect(out.outbox).toHaveLength(maxOutboxEntries);
    expect(out.outbox[0]?.notification.dedupKey).toBe('k5');
    expect(out.dropped.filter((d) => d.reason.startsWith('outbox full'))).toHaveLength(5);
  });
});

describe('outbox: enqueue', () => {
  it('routes a resolve to every channel holding the open incident (P1 -> P3 while paging)', () => {
    // The check is P3 now, so only email routes it; PagerDuty still has the incident open.
    const out = enqueue([], ['pagerduty', 'email'], note('resolve'), ['email'], now);
    expect(shape(out.outbox)).toEqual(['resolve:email+pagerduty']);
  });

  it('a flapping check with every channel down keeps one entry per channel, however long', () => {
    let outbox: OutboxEntry[] = [];
    for (let run = 0; run < 200; run++) {
      const n = note(run % 2 === 0 ? 'trigger' : 'resolve');
      outbox = enqueue(outbox, [], n, ['pagerduty', 'email'], now).outbox;
      expect(outbox.length).toBeLessThanOrEqual(1);
    }
    // The last run was a resolve of a trigger nobody got: nothing is left to tell.
    expect(outbox).toEqual([]);
    outbox = enqueue(outbox, [], note('trigger'), ['pagerduty'], now).outbox;
    expect(shape(outbox)).toEqual(['trigger:pagerduty']);
  });

  it('a notification no channel routes is not queued', () => {
    expect(enqueue([], [], note('trigger'), [], now).outbox).toEqual([]);
  });
});

describe('outbox: claim', () => {
  const options = { runId: 'me', now, leaseUntil: minutes(2), channels: ['pagerduty', 'email'] };

  it('leases what is free, on its pending channels', () => {
    const out = claim([entry(trigger, ['pagerduty', 'email'])], options);
    expect(out.claims.map((c) => c.channels)).toEqual([['pagerduty', 'email']]);
    expect(out.outbox[0]).toMatchObject({
      claimedBy: 'me',
      claimedUntil: minutes(2).toISOString(),
    });
  });

  it("leaves another live run's entry alone and holds later entries of its incident on its channels", () => {
    const out = claim(
      [
        entry(trigger, ['pagerduty'], { claimedBy: 'other', claimedUntil: leaseUntil }),
        entry(resolve, ['pagerduty', 'email']),
      ],
      options,
    );
    expect(out.claims.map((c) => [c.entry.notification.event, c.channels])).toEqual([
      ['resolve', ['email']],
    ]);
  });

  it('takes over an entry whose lease ran out', () => {
    const out = claim(
      [entry(trigger, ['pagerduty'], { claimedBy: 'crashed', claimedUntil: now.toISOString() })],
      options,
    );
    expect(out.claims).toHaveLength(1);
  });

  it('drops entries for a channel no longer configured, with the reason', () => {
    const out = claim([entry(trigger, ['pagerduty', 'slack'])], options);
    expect(shape(out.outbox)).toEqual(['trigger:pagerduty']);
    expect(out.dropped).toMatchObject([
      { channel: 'slack', reason: 'channel slack is no longer configured' },
    ]);
  });

  it('does not offer permanently refused channels', () => {
    const out = claim(
      [entry(trigger, [], { failed: [{ channel: 'pagerduty', error: '400', at: leaseUntil }] })],
      options,
    );
    expect(out.claims).toEqual([]);
    expect(out.outbox).toHaveLength(1);
  });
});

describe('outbox: settle', () => {
  const claimed = (n: AlertNotification, channels: string[]) =>
    entry(n, channels, { claimedBy: 'me', claimedUntil: leaseUntil });
  const outcome = (n: AlertNotification, o: Partial<DeliveryOutcome>): DeliveryOutcome => ({
    id: n.id,
    delivered: [],
    pending: [],
    failed: [],
    ...o,
  });

  it('an accepted trigger leaves the outbox and opens the incident on that channel', () => {
    const out = settle(
      [claimed(trigger, ['pagerduty', 'email'])],
      [],
      'me',
      [
        outcome(trigger, {
          delivered: ['pagerduty'],
          pending: ['email'],
          lastError: 'email: down',
        }),
      ],
      now,
    );
    expect(out.openOn).toEqual(['pagerduty']);
    expect(out.outbox).toEqual([
      entry(trigger, ['email'], { attempts: 1, lastError: 'email: down' }),
    ]);
  });

  it('an accepted resolve closes the incident', () => {
    const out = settle(
      [claimed(resolve, ['pagerduty'])],
      ['pagerduty'],
      'me',
      [outcome(resolve, { delivered: ['pagerduty'] })],
      now,
    );
    expect(out.openOn).toEqual([]);
    expect(out.outbox).toEqual([]);
  });

  it('a permanent refusal moves the channel to failed with its error and time', () => {
    const out = settle(
      [claimed(trigger, ['pagerduty'])],
      [],
      'me',
      [outcome(trigger, { failed: [{ channel: 'pagerduty', error: '400 bad key' }] })],
      now,
    );
    expect(out.outbox[0]?.channels).toEqual([]);
    expect(out.outbox[0]?.failed).toEqual([
      { channel: 'pagerduty', error: '400 bad key', at: now.toISOString() },
    ]);
    expect(outboxCounts(out.outbox)).toEqual({
      pending: 0,
      failed: 1,
      lastError: 'pagerduty: 400 bad key',
    });
  });

  it('leaves entries another run claimed as they are', () => {
    const theirs = entry(trigger, ['pagerduty'], { claimedBy: 'other', claimedUntil: leaseUntil });
    const out = settle([theirs], [], 'me', [outcome(trigger, { delivered: ['pagerduty'] })], now);
    expect(out.outbox).toEqual([theirs]);
    expect(out.openOn).toEqual([]);
  });

  it('once an in-flight trigger failed for good, the resolve waiting behind it cancels it', () => {
    const out = settle(
      [claimed(trigger, ['pagerduty']), entry(resolve, ['pagerduty'])],
      [],
      'me',
      [outcome(trigger, { failed: [{ channel: 'pagerduty', error: '400' }] })],
      now,
    );
    expect(out.outbox).toEqual([]);
  });
});

describe('outbox: requeueFailed (replay)', () => {
  it('puts refused channels back to pending with fresh attempts', () => {
    const refused = entry(trigger, ['email'], {
      attempts: 3,
      failed: [{ channel: 'pagerduty', error: '400', at: leaseUntil }],
    });
    const out = requeueFailed([refused], (_e, channel) => channel === 'pagerduty');
    expect(out.requeued).toBe(1);
    expect(shape(out.outbox)).toEqual(['trigger:email+pagerduty']);
    expect(out.outbox[0]?.attempts).toBe(0);
    expect(requeueFailed([refused], () => false).outbox).toEqual([refused]);
  });
});
