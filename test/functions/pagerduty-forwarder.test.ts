import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertNotification } from '../../lib/alerting/notification.ts';
import { startFakePagerDuty } from '../support/fake-pagerduty.ts';

const routingKey = 'FWDKEY0123456789ABCDEFGHIJKLMNOP';
const pd = await startFakePagerDuty();
const secrets = mockClient(SecretsManagerClient);
secrets
  .on(GetSecretValueCommand, { SecretId: 'healthcheck/pagerduty' })
  .resolves({ SecretString: routingKey });
process.env['PAGERDUTY_URL'] = pd.url;
process.env['PAGERDUTY_SECRET_ID'] = 'healthcheck/pagerduty';
process.env['AWS_REGION'] = 'ap-southeast-1';
const { handler } = await import('../../functions/pagerduty-forwarder/handler.ts');

afterAll(async () => {
  await pd.close();
  secrets.restore();
});

const context = {
  functionName: 'pagerduty-forwarder',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:ap-southeast-1:123456789012:function:pagerduty-forwarder',
  memoryLimitInMB: '256',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

function notification(over: Partial<AlertNotification> = {}): AlertNotification {
  return {
    id: 'erp-cert:trigger:2026-11-22T01:00:00.000Z',
    check: 'erp-cert',
    suite: 'morning',
    event: 'trigger',
    status: 'warning',
    previousStatus: 'ok',
    severity: 'P2',
    summary: 'erp.company.vn:443 certificate expires in 12 days',
    runbook: 'https://wiki/runbooks#cert',
    details: { daysLeft: 12 },
    since: '2026-11-22T01:00:00.000Z',
    at: '2026-11-22T01:00:00.000Z',
    ...over,
  };
}

function snsEvent(...messages: string[]) {
  return {
    Records: messages.map((Message, i) => ({
      EventSource: 'aws:sns',
      Sns: {
        MessageId: `m-${i}`,
        Message,
        MessageAttributes: { severity: { Type: 'String', Value: 'P2' } },
      },
    })),
  };
}

let logs: string[] = [];
beforeEach(() => {
  pd.accepted.length = 0;
  pd.received.length = 0;
  pd.script.length = 0;
  logs = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk) => {
      logs.push(String(chunk));
      return true;
    });
  }
  return () => vi.restoreAllMocks();
});

describe('PagerDuty forwarder Lambda', () => {
  it('forwards trigger and resolve with the routing key from Secrets Manager', async () => {
    const out = await handler(
      snsEvent(
        JSON.stringify(notification()),
        JSON.stringify(notification({ event: 'resolve', status: 'ok' })),
      ),
      context,
    );
    expect(out).toEqual({ sent: 2, rejected: 0, skipped: 0 });
    expect(pd.received.every((r) => r.problems.length === 0)).toBe(true);
    expect(pd.accepted).toMatchObject([
      {
        routing_key: routingKey,
        event_action: 'trigger',
        dedup_key: 'erp-cert',
        payload: { severity: 'warning' },
      },
      { routing_key: routingKey, event_action: 'resolve', dedup_key: 'erp-cert' },
    ]);
    // Cached: one Secrets Manager call however many alerts.
    await handler(snsEvent(JSON.stringify(notification())), context);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('logs and skips a 400 without retrying, and never logs the routing key', async () => {
    pd.script.push(400);
    const out = await handler(snsEvent(JSON.stringify(notification())), context);
    expect(out).toEqual({ sent: 0, rejected: 1, skipped: 0 });
    expect(pd.received).toHaveLength(1);
    const errors = logs.filter((l) => l.includes('"level":"ERROR"'));
    expect(errors.join('')).toContain('PagerDuty rejected the trigger event for erp-cert (400)');
    expect(logs.join('')).not.toContain(routingKey);
  });

  it('throws after retrying 5xx so Lambda retries the invocation', async () => {
    pd.script.push(500, 500, 500, 500);
    await expect(handler(snsEvent(JSON.stringify(notification())), context)).rejects.toMatchObject({
      name: 'DeliveryError',
    });
    expect(pd.received.map((r) => r.status)).toEqual([500, 500, 500, 500]);
  }, 30_000);

  it('retries a 429 and then delivers', async () => {
    pd.script.push(429);
    const out = await handler(snsEvent(JSON.stringify(notification())), context);
    expect(out.sent).toBe(1);
    expect(pd.received.map((r) => r.status)).toEqual([429, 202]);
  });

  it('skips messages that are not notifications and rejects events that are not SNS', async () => {
    const out = await handler(snsEvent('not json', JSON.stringify({ check: 'x' })), context);
    expect(out).toEqual({ sent: 0, rejected: 0, skipped: 2 });
    expect(pd.received).toHaveLength(0);
    await expect(handler({ detail: {} }, context)).rejects.toThrow(/not an SNS event: Records/);
  });
});
