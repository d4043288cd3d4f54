import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../lib/alerting/notification.ts';
import type { AlertLogger } from '../../lib/alerting/notifier.ts';
import { PagerDutyClient } from '../../lib/notify/pagerduty-client.ts';
import { pagerDutyEventFor } from '../../lib/notify/pagerduty-event.ts';
import { type FakePagerDuty, startFakePagerDuty } from '../support/fake-pagerduty.ts';

const routingKey = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const servers: FakePagerDuty[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function pagerDuty(): Promise<FakePagerDuty> {
  const s = await startFakePagerDuty();
  servers.push(s);
  return s;
}

function notification(over: Partial<AlertNotification> = {}): AlertNotification {
  return {
    id: 'erp-db:trigger:2026-11-22T01:00:00.000Z',
    check: 'erp-db',
    name: 'Cơ sở dữ liệu ERP',
    suite: 'morning',
    event: 'trigger',
    status: 'critical',
    previousStatus: 'ok',
    severity: 'P1',
    summary: '48 of 50 connections used',
    runbook: 'https://wiki/runbooks#erp-db',
    details: { used: 48, max: 50 },
    since: '2026-11-22T01:00:00.000Z',
    at: '2026-11-22T01:00:00.000Z',
    ...over,
  };
}

function recordingLogger() {
  const lines: string[] = [];
  const logger: AlertLogger = {
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
  return { lines, logger };
}

describe('PagerDuty Events API v2', () => {
  it('maps statuses to PagerDuty severities and sends valid events', async () => {
    const pd = await pagerDuty();
    const client = new PagerDutyClient({ url: pd.url });
    const cases = [
      ['critical', 'critical'],
      ['warning', 'warning'],
      ['unknown', 'error'],
    ] as const;
    for (const [status, severity] of cases) {
      await client.send(pagerDutyEventFor(notification({ status }), routingKey));
      expect(pd.received.at(-1)?.problems).toEqual([]);
      expect(pd.accepted.at(-1)).toMatchObject({
        event_action: 'trigger',
        dedup_key: 'erp-db',
        routing_key: routingKey,
        payload: { severity, component: 'erp-db', group: 'morning' },
        links: [{ href: 'https://wiki/runbooks#erp-db', text: 'Runbook' }],
      });
    }
    await client.send(
      pagerDutyEventFor(notification({ event: 'resolve', status: 'ok' }), routingKey),
    );
    expect(pd.accepted.at(-1)).toMatchObject({ event_action: 'resolve', dedup_key: 'erp-db' });
    expect(pd.accepted[0]?.['payload']).toMatchObject({
      custom_details: {
        severity: 'P1',
        status: 'critical',
        details: { used: 48, max: 50 },
      },
    });
  });

  it('keeps summaries within 1024 characters and dedup keys within 255', async () => {
    const pd = await pagerDuty();
    const event = pagerDutyEventFor(
      notification({ summary: 'x'.repeat(5000), check: 'a'.repeat(300) }),
      routingKey,
    );
    await new PagerDutyClient({ url: pd.url }).send(event);
    expect(pd.received[0]?.problems).toEqual([]);
    expect((event.payload?.summary ?? '').length).toBe(1024);
  });

  it('retries 429 and 500 with backoff, then succeeds', async () => {
    const pd = await pagerDuty();
    pd.script.push(429, 500, 503);
    const { lines, logger } = recordingLogger();
    const client = new PagerDutyClient({ url: pd.url, baseDelayMs: 5, logger });
    await client.send(pagerDutyEventFor(notification(), routingKey));
    expect(pd.received.map((r) => r.status)).toEqual([429, 500, 503, 202]);
    expect(pd.accepted).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('warn'))).toHaveLength(3);
  });

  it('gives up after the attempts with a retryable error', async () => {
    const pd = await pagerDuty();
    pd.script.push(500, 500, 500);
    const client = new PagerDutyClient({ url: pd.url, baseDelayMs: 1, attempts: 3 });
    const error = await client.send(pagerDutyEventFor(notification(), routingKey)).catch((e) => e);
    expect(error).toMatchObject({ name: 'DeliveryError', permanent: false });
    expect(error.message).toMatch(/500.*gave up after 3 attempts/);
    expect(pd.received).toHaveLength(3);
  });

  it('does not retry a 400 and logs it, without the routing key', async () => {
    const pd = await pagerDuty();
    const { lines, logger } = recordingLogger();
    const client = new PagerDutyClient({ url: pd.url, baseDelayMs: 1, logger });
    const error = await client
      .send(pagerDutyEventFor(notification(), 'too-short-key'))
      .catch((e) => e);
    expect(error).toMatchObject({ name: 'DeliveryError', permanent: true });
    expect(pd.received).toHaveLength(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error PagerDuty rejected the trigger event for erp-db \(400\)/);
    expect(lines[0]).not.toContain('too-short-key');
  });

  it('a 403 (a rotated or revoked routing key) is permanent too, and says what to check', async () => {
    const pd = await pagerDuty();
    pd.script.push(403);
    const client = new PagerDutyClient({ url: pd.url, baseDelayMs: 1 });
    const error = await client.send(pagerDutyEventFor(notification(), routingKey)).catch((e) => e);
    expect(error).toMatchObject({ name: 'DeliveryError', permanent: true });
    expect(error.message).toMatch(/\(403: check the routing key and URL\)/);
    expect(pd.received).toHaveLength(1);
  });

  it('treats an unreachable endpoint as retryable', async () => {
    const pd = await pagerDuty();
    const url = pd.url;
    await pd.close();
    const client = new PagerDutyClient({ url, baseDelayMs: 1, attempts: 2 });
    const error = await client.send(pagerDutyEventFor(notification(), routingKey)).catch((e) => e);
    expect(error).toMatchObject({ name: 'DeliveryError', permanent: false });
    expect(error.message).toMatch(/cannot reach/);
  });
});
