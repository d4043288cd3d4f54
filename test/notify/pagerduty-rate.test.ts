import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../lib/alerting/notification.ts';
import { DeliveryError } from '../../lib/alerting/notifier.ts';
import { mapWithConcurrency } from '../../lib/core/semaphore.ts';
import { PagerDutyClient, type PagerDutyClientOptions } from '../../lib/notify/pagerduty-client.ts';
import { PagerDutyNotifier } from '../../lib/notify/pagerduty-notifier.ts';
import { RatePacer } from '../../lib/shared/rate-pacer.ts';
import { parseRetryAfter } from '../../lib/shared/retry.ts';
import {
  type FakePagerDuty,
  type FakeRateLimit,
  startFakePagerDuty,
} from '../support/fake-pagerduty.ts';
import { maxInWindow } from '../support/rate-windows.ts';

const routingKey = 'R4TEL1M1TK3Y00000000000000000001';
const servers: FakePagerDuty[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** PagerDuty's 120 events a minute, scaled to 20 a second so a storm takes seconds. */
const scaledLimit: FakeRateLimit = { events: 20, windowMs: 1000, retryAfterSeconds: 1 };

async function pagerDuty(rateLimit: FakeRateLimit): Promise<FakePagerDuty> {
  const s = await startFakePagerDuty({ rateLimit });
  servers.push(s);
  return s;
}

function storm(count: number): AlertNotification[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `api-${i}:trigger:2026-12-01T08:00:00.000Z`,
    check: `api-${i}`,
    suite: 'morning',
    event: 'trigger',
    status: 'critical',
    previousStatus: 'ok',
    severity: 'P1',
    summary: 'connect ETIMEDOUT 10.0.4.17:443',
    details: {},
    since: '2026-12-01T08:00:00.000Z',
    at: '2026-12-01T08:00:00.000Z',
  }));
}

function notifierFor(pd: FakePagerDuty, client: Omit<PagerDutyClientOptions, 'url'>) {
  return new PagerDutyNotifier({
    client: new PagerDutyClient({ url: pd.url, baseDelayMs: 50, ...client }),
    routingKey: async () => routingKey,
  });
}

/**
 * Delivers like the runner (16 at a time) and then like the outbox does on later runs: what
 * was kept (a retryable DeliveryError) is delivered again, until nothing is left.
 */
async function deliverUntilDone(
  notifier: PagerDutyNotifier,
  notifications: readonly AlertNotification[],
  rounds = 6,
): Promise<{ rounds: number; kept: number }> {
  let waiting = [...notifications];
  let kept = 0;
  for (let round = 1; round <= rounds; round++) {
    const outcomes = await mapWithConcurrency(waiting, 16, (n) =>
      notifier.deliver(n).then(
        () => undefined,
        (error: unknown) => {
          expect(error).toBeInstanceOf(DeliveryError);
          expect((error as DeliveryError).permanent).toBe(false);
          return n;
        },
      ),
    );
    waiting = outcomes.filter((n): n is AlertNotification => n !== undefined);
    kept += waiting.length;
    if (waiting.length === 0) return { rounds: round, kept };
  }
  throw new Error(`${waiting.length} notifications still undelivered after ${rounds} rounds`);
}

function dedupKeys(events: readonly Record<string, unknown>[]): string[] {
  return events.map((e) => String(e['dedup_key']));
}

/** Every 429's Retry-After, as the time before which that event must not come back. */
function retryWaits(pd: FakePagerDuty): { notBefore: number; retriedAt: number }[] {
  return pd.received.flatMap((r, i) => {
    if (r.status !== 429 || !r.retryAfter) return [];
    const key = r.body['dedup_key'];
    const retry = pd.received.slice(i + 1).find((later) => later.body['dedup_key'] === key);
    const waitMs = parseRetryAfter(r.retryAfter, r.at) ?? 0;
    return retry ? [{ notBefore: r.at + waitMs, retriedAt: retry.at }] : [];
  });
}

describe('PagerDuty pacing per integration key', { timeout: 60_000 }, () => {
  it('paced under the limit: a 45-event storm is accepted without a single 429', async () => {
    const pd = await pagerDuty(scaledLimit);
    const notifier = notifierFor(pd, {
      pacer: new RatePacer({ limit: 15, intervalMs: 1000, burst: 5 }),
    });
    const notifications = storm(45);
    const result = await deliverUntilDone(notifier, notifications);
    expect(result).toEqual({ rounds: 1, kept: 0 });
    expect(pd.received.filter((r) => r.status === 429)).toEqual([]);
    expect(dedupKeys(pd.accepted).sort()).toEqual(notifications.map((n) => n.check).sort());
    expect(
      maxInWindow(
        pd.received.map((r) => r.at),
        1000,
      ),
    ).toBeLessThanOrEqual(scaledLimit.events);
  });

  it.each([
    { form: 'seconds', limit: scaledLimit, count: 60 },
    {
      form: 'an HTTP date',
      limit: { ...scaledLimit, retryAfterSeconds: 2, httpDate: true },
      count: 40,
    },
  ])(
    'past the limit (Retry-After as $form): every event accepted once, no retry before Retry-After',
    async ({ limit, count }) => {
      const pd = await pagerDuty(limit);
      // Paced at twice what the server takes, so it answers 429.
      const notifier = notifierFor(pd, {
        pacer: new RatePacer({ limit: 40, intervalMs: 1000, burst: 10 }),
      });
      const notifications = storm(count);
      await deliverUntilDone(notifier, notifications);
      expect(pd.received.some((r) => r.status === 429)).toBe(true);
      const accepted = dedupKeys(pd.accepted);
      expect(new Set(accepted).size).toBe(accepted.length);
      expect(accepted.sort()).toEqual(notifications.map((n) => n.check).sort());
      const waits = retryWaits(pd);
      expect(waits.length).toBeGreaterThan(0);
      // 5 ms for timers that fire on the millisecond boundary before the clock reads it.
      for (const { notBefore, retriedAt } of waits) {
        expect(retriedAt).toBeGreaterThanOrEqual(notBefore - 5);
      }
    },
  );

  it('keeps what does not fit before the deadline: retryable, never sent, nothing sent twice', async () => {
    const pd = await pagerDuty(scaledLimit);
    const deadline = Date.now() + 1500;
    const notifier = notifierFor(pd, {
      pacer: new RatePacer({ limit: 10, intervalMs: 1000, burst: 5 }),
      deadline: () => deadline,
    });
    const notifications = storm(40);
    const outcomes = await mapWithConcurrency(notifications, 16, (n) =>
      notifier.deliver(n).then(
        () => ({ check: n.check, sent: true, error: undefined as unknown }),
        (error: unknown) => ({ check: n.check, sent: false, error }),
      ),
    );
    const sent = outcomes.filter((o) => o.sent).map((o) => o.check);
    const kept = outcomes.filter((o) => !o.sent);
    // 5 at once, then one every 166 ms until the deadline at 1.5 s.
    expect(sent.length).toBeGreaterThanOrEqual(5);
    expect(sent.length).toBeLessThan(40);
    expect(kept.length + sent.length).toBe(40);
    for (const k of kept) {
      expect(k.error).toBeInstanceOf(DeliveryError);
      expect((k.error as DeliveryError).permanent).toBe(false);
      expect((k.error as DeliveryError).message).toMatch(/kept for the next run.*deadline/);
    }
    expect(dedupKeys(pd.accepted).sort()).toEqual(sent.sort());
    expect(pd.received).toHaveLength(sent.length);
  });

  it('keeps an event at once when Retry-After is longer than it may wait', async () => {
    const pd = await pagerDuty({ events: 1, windowMs: 60_000, retryAfterSeconds: 60 });
    const notifier = notifierFor(pd, {
      maxWaitMs: 2000,
      pacer: new RatePacer({ limit: 100, intervalMs: 1000 }),
    });
    const [first, second] = storm(2) as [AlertNotification, AlertNotification];
    await notifier.deliver(first);
    const error = await notifier.deliver(second).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ permanent: false });
    expect((error as Error).message).toMatch(/more than the 2000 ms allowed/);
    expect(pd.received.map((r) => r.status)).toEqual([202, 429]);
  });

  it('gives the turn up when the run is aborted while it waits: retryable, not sent', async () => {
    const pd = await pagerDuty(scaledLimit);
    const notifier = notifierFor(pd, { pacer: new RatePacer({ limit: 1, intervalMs: 5000 }) });
    const [first, second] = storm(2) as [AlertNotification, AlertNotification];
    await notifier.deliver(first);
    const error = await notifier.deliver(second, AbortSignal.timeout(200)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ permanent: false });
    expect(pd.received).toHaveLength(1);
  });
});
