import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertNotification } from '../../lib/alerting/notification.ts';
import { DeliveryError } from '../../lib/alerting/notifier.ts';
import { mapWithConcurrency } from '../../lib/core/semaphore.ts';
import { SnsNotifier, snsEmailRate } from '../../lib/notify/sns-notifier.ts';
import { RatePacer } from '../../lib/shared/rate-pacer.ts';
import { maxInWindow } from '../support/rate-windows.ts';

const sns = mockClient(SNSClient);

function storm(count: number): AlertNotification[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `web-${i}:trigger:2026-12-01T08:00:00.000Z`,
    check: `web-${i}`,
    suite: 'morning',
    event: 'trigger',
    status: 'critical',
    previousStatus: 'ok',
    severity: 'P2',
    summary: 'connect ETIMEDOUT 10.0.4.17:443',
    details: {},
    since: '2026-12-01T08:00:00.000Z',
    at: '2026-12-01T08:00:00.000Z',
  }));
}

describe('SNS publishing rate', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2026-12-01T08:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
    sns.reset();
  });

  it('keeps a 500-check storm, delivered 16 at a time like the runner, under 10 publishes a second', async () => {
    const published: number[] = [];
    sns.on(PublishCommand).callsFake(async () => {
      published.push(Date.now());
      return { MessageId: `m-${published.length}` };
    });
    // Two notifiers of one topic (a container that built its notifiers twice) share one budget.
    const topicArn = 'arn:aws:sns:ap-southeast-1:123456789012:storm-alerts';
    const client = new SNSClient({ region: 'ap-southeast-1' });
    const notifiers = [
      new SnsNotifier({ client, topicArn }),
      new SnsNotifier({ client, topicArn }),
    ];
    const done = mapWithConcurrency(storm(500), 16, (n, i) =>
      (notifiers[i % 2] as SnsNotifier).deliver(n),
    );
    await vi.runAllTimersAsync();
    await done;
    expect(published).toHaveLength(500);
    expect(maxInWindow(published, 1000)).toBeLessThanOrEqual(10);
    expect(maxInWindow(published, 1000)).toBe(snsEmailRate.limit);
    // Paced, not stalled: 500 publishes at 8 a second take a little over a minute.
    const spanMs = Math.max(...published) - Math.min(...published);
    expect(spanMs).toBe((500 - 1) * (1000 / snsEmailRate.limit));
  });

  it('keeps what the run had no time left to publish: a retryable DeliveryError, nothing sent', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const notifier = new SnsNotifier({
      client: new SNSClient({ region: 'ap-southeast-1' }),
      topicArn: 'arn:aws:sns:ap-southeast-1:123456789012:budget',
      pacer: new RatePacer(snsEmailRate),
    });
    // The run's delivery budget: one second (a faked timer, as the pacing is).
    const budget = new AbortController();
    setTimeout(() => budget.abort(new Error('the run ran out of time')), 1000);
    const { signal } = budget;
    const outcomes = mapWithConcurrency(storm(40), 16, (n) =>
      notifier.deliver(n, signal).then(
        () => 'sent',
        (error: unknown) => error,
      ),
    );
    await vi.runAllTimersAsync();
    const results = await outcomes;
    const sent = results.filter((r) => r === 'sent');
    const kept = results.filter((r) => r instanceof DeliveryError);
    expect(sent).toHaveLength(8);
    expect(kept).toHaveLength(32);
    expect(kept.every((e) => !(e as DeliveryError).permanent)).toBe(true);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(8);
  });

  it('does not wait past its deadline: what has no turn before it is kept, retryable', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const deadline = Date.now() + 500;
    const notifier = new SnsNotifier({
      client: new SNSClient({ region: 'ap-southeast-1' }),
      topicArn: 'arn:aws:sns:ap-southeast-1:123456789012:deadline',
      pacer: new RatePacer(snsEmailRate),
      deadline: () => deadline,
    });
    const outcomes = mapWithConcurrency(storm(10), 16, (n) =>
      notifier.deliver(n).then(
        () => 'sent',
        (error: unknown) => error,
      ),
    );
    await vi.runAllTimersAsync();
    const results = await outcomes;
    // Turns at 0, 125, 250, 375 and 500 ms; the sixth would be at 625.
    expect(results.filter((r) => r === 'sent')).toHaveLength(5);
    const kept = results.filter((r) => r instanceof DeliveryError) as DeliveryError[];
    expect(kept).toHaveLength(5);
    expect(kept.every((e) => !e.permanent && /past the deadline/.test(e.message))).toBe(true);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(5);
  });

  it('paces digests with single publishes: one topic, one budget', async () => {
    const published: number[] = [];
    sns.on(PublishCommand).callsFake(async () => {
      published.push(Date.now());
      return { MessageId: `m-${published.length}` };
    });
    const notifier = new SnsNotifier({
      client: new SNSClient({ region: 'ap-southeast-1' }),
      topicArn: 'arn:aws:sns:ap-southeast-1:123456789012:digests',
      pacer: new RatePacer(snsEmailRate),
    });
    // Many suites finishing at once: each run's digest plus single notifications.
    const done = mapWithConcurrency(storm(60), 16, (n, i) =>
      i % 2 === 0 ? notifier.deliverBatch([n, ...storm(3)]) : notifier.deliver(n),
    );
    await vi.runAllTimersAsync();
    await done;
    expect(published).toHaveLength(60);
    expect(maxInWindow(published, 1000)).toBeLessThanOrEqual(snsEmailRate.limit);
  });
});
