import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../lib/alerting/notification.ts';
import { EventBridgeNotifier } from '../../lib/notify/eventbridge-notifier.ts';
import { SnsNotifier } from '../../lib/notify/sns-notifier.ts';

const sns = mockClient(SNSClient);
const events = mockClient(EventBridgeClient);
afterEach(() => {
  sns.reset();
  events.reset();
});

const n: AlertNotification = {
  id: 'erp-backup:trigger:2026-11-22T01:00:00.000Z',
  check: 'erp-backup',
  name: 'Sao lưu ERP hằng đêm',
  suite: 'morning',
  event: 'trigger',
  status: 'critical',
  previousStatus: 'ok',
  severity: 'P1',
  summary: 'erp_prod_20261121.sql.gz is missing',
  runbook: 'https://wiki/erp#backup',
  details: { expected: 's3://erp-backups/db/erp_prod_20261121.sql.gz' },
  since: '2026-11-22T01:00:00.000Z',
  at: '2026-11-22T01:00:00.000Z',
};

describe('SNS notifier', () => {
  it('publishes structured JSON with an email body, an ASCII subject and a severity attribute', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await new SnsNotifier({
      client: new SNSClient({ region: 'ap-southeast-1' }),
      topicArn: 'arn:aws:sns:ap-southeast-1:123456789012:alerts',
    }).deliver(n);
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.MessageStructure).toBe('json');
    expect(input?.TopicArn).toBe('arn:aws:sns:ap-southeast-1:123456789012:alerts');
    expect(input?.MessageAttributes?.['severity']).toEqual({
      DataType: 'String',
      StringValue: 'P1',
    });
    expect(input?.Subject).toMatch(/^[\x20-\x7e]{1,99}$/);
    expect(input?.Subject).toContain('Sao luu ERP hang dem');
    const message = JSON.parse(input?.Message ?? '{}');
    expect(JSON.parse(message.default)).toEqual(n);
    expect(message.email).toContain('Sao lưu ERP hằng đêm (erp-backup) is now CRITICAL');
    expect(Buffer.byteLength(input?.Message ?? '')).toBeLessThan(256 * 1024);
  });

  it('stays under 256 KB with enormous details', async () => {
    sns.on(PublishCommand).resolves({});
    const huge = { ...n, summary: 'y'.repeat(300_000), details: { blob: 'z'.repeat(400_000) } };
    await new SnsNotifier({
      client: new SNSClient({ region: 'us-east-1' }),
      topicArn: 'arn:x',
    }).deliver(huge);
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(Buffer.byteLength(input?.Message ?? '')).toBeLessThan(256 * 1024);
    expect(input?.Subject?.length).toBeLessThan(100);
  });

  it('turns a publish failure into a retryable DeliveryError', async () => {
    sns.on(PublishCommand).rejects(new Error('Throttling'));
    const error = await new SnsNotifier({
      client: new SNSClient({ region: 'us-east-1' }),
      topicArn: 'arn:x',
    })
      .deliver(n)
      .catch((e) => e);
    expect(error).toMatchObject({ name: 'DeliveryError', permanent: false });
  });
});

describe('EventBridge notifier', () => {
  it('puts a Health Check State Changed event with the state change as detail', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    await new EventBridgeNotifier({
      client: new EventBridgeClient({ region: 'us-east-1' }),
      eventBusName: 'ops',
    }).deliver(n);
    const entry = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({
      Source: 'healthcheck',
      DetailType: 'Health Check State Changed',
      EventBusName: 'ops',
    });
    expect(JSON.parse(entry?.Detail ?? '{}')).toMatchObject({
      check: 'erp-backup',
      suite: 'morning',
      status: 'critical',
      previousStatus: 'ok',
      severity: 'P1',
      summary: n.summary,
      runbook: n.runbook,
      details: n.details,
    });
  });

  it('reports a failed entry as not delivered', async () => {
    events.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try later' }],
    });
    const error = await new EventBridgeNotifier({
      client: new EventBridgeClient({ region: 'us-east-1' }),
    })
      .deliver(n)
      .catch((e) => e);
    expect(error?.message).toMatch(/InternalFailure try later/);
  });
});
