import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DynamoResultStore } from '../../lib/store/dynamodb-store.ts';
import { startDynalite } from '../support/dynalite.ts';
import { type FakePagerDuty, startFakePagerDuty } from '../support/fake-pagerduty.ts';
import { lambdaContext } from '../support/lambda-context.ts';

// The runner handler exactly as Lambda loads it: env from the stack, config file in the task
// root, DynamoDB = dynalite (endpoint override), SNS and EventBridge captured.
const sns = mockClient(SNSClient);
const secretsManager = mockClient(SecretsManagerClient);
const routingKey = 'RUNNERE2E0123456789ABCDEFGHIJKLM';
const events = mockClient(EventBridgeClient);
const topicArn = 'arn:aws:sns:ap-southeast-1:123456789012:alerts';
const eventBusName = 'health-events';

const config = `
timezone: Asia/Ho_Chi_Minh
suites:
  - id: morning
    schedule: "cron(0 8 * * ? *)"
    checks: [root-disk]
checks:
  - id: root-disk
    name: "Ổ đĩa gốc"
    type: disk
    paths: [/]
    warningPercent: 1
    criticalPercent: 2
    severity: P1
    runbook: https://wiki.example/runbooks#disk
notifications:
  email: [oncall@example.com]
  pagerduty:
    routingKey: \${secret:erp/pagerduty}
    severities: [P1, P2]
`;

type Handler = (
  event: unknown,
  context: Context,
) => Promise<{
  status: string;
  alerts: { check: string; event: string }[];
}>;

let handler: Handler;
let forwarder: (event: unknown, context: Context) => Promise<unknown>;
let pagerDuty: FakePagerDuty;
let store: DynamoResultStore;

beforeAll(async () => {
  const dynamo = await startDynalite();
  const created = await dynamo.newStore();
  store = created.store;
  const taskRoot = await mkdtemp(join(tmpdir(), 'healthcheck-runner-'));
  afterAll(() => rm(taskRoot, { recursive: true, force: true }));
  await writeFile(join(taskRoot, 'healthchecks.yaml'), config);
  Object.assign(process.env, {
    AWS_REGION: 'ap-southeast-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    LAMBDA_TASK_ROOT: taskRoot,
    HEALTHCHECK_CONFIG_FILE: 'healthchecks.yaml',
    HEALTHCHECK_TABLE: created.tableName,
    HEALTHCHECK_TOPIC_ARN: topicArn,
    HEALTHCHECK_EVENT_BUS_NAME: eventBusName,
    HEALTHCHECK_DYNAMODB_ENDPOINT: dynamo.endpoint,
    POWERTOOLS_SERVICE_NAME: 'healthcheck-runner',
    POWERTOOLS_METRICS_NAMESPACE: 'Healthcheck',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  ({ handler } = (await import('../../functions/runner/handler.ts')) as unknown as {
    handler: Handler;
  });
  // The forwarder as the stack configures it (see lib/infra/forwarder-function.ts).
  pagerDuty = await startFakePagerDuty();
  afterAll(() => pagerDuty.close());
  secretsManager.on(GetSecretValueCommand, { SecretId: 'erp/pagerduty' }).resolves({
    SecretString: routingKey,
  });
  process.env['PAGERDUTY_SECRET_ID'] = 'erp/pagerduty';
  process.env['PAGERDUTY_URL'] = pagerDuty.url;
  ({ handler: forwarder } = (await import(
    '../../functions/pagerduty-forwarder/handler.ts'
  )) as unknown as { handler: typeof forwarder });
});

describe('runner handler', () => {
  it('runs the scheduled suite, records state in DynamoDB and publishes the trigger once', async () => {
    const event = { suite: 'morning', scheduledTime: '2026-11-22T01:00:00Z' };
    const dimensions = vi.spyOn(Metrics.prototype, 'addDimensions');
    const added = vi.spyOn(Metrics.prototype, 'addMetric');
    let first: Awaited<ReturnType<Handler>>;
    try {
      first = await handler(event, lambdaContext(60_000));
      // The SuiteCompleted metric in exactly the dimension set the missing-data alarm uses.
      expect(dimensions.mock.calls.map(([d]) => d)).toEqual([
        { checkType: 'disk' },
        { check: 'root-disk' },
        { suite: 'morning' },
      ]);
      expect(added.mock.calls.map(([name, , value]) => [name, value])).toEqual(
        expect.arrayContaining([
          ['ChecksRun', 1],
          ['ChecksFailed', 1],
          ['CheckStatus', 2],
          ['SuiteCompleted', 1],
        ]),
      );
    } finally {
      dimensions.mockRestore();
      added.mockRestore();
    }
    expect(first.status).toBe('critical');
    expect(first.alerts).toEqual([
      expect.objectContaining({ check: 'root-disk', event: 'trigger' }),
    ]);

    const states = await store.getStates(['root-disk']);
    expect(states.get('root-disk')?.lastResult?.status).toBe('critical');
    expect(states.get('root-disk')?.appliedSlots).toEqual([
      expect.stringMatching(/@2026-11-22T01:00:00.000Z$/),
    ]);
    const history = await store.history('root-disk');
    expect(history.map((r) => r.scheduledTime)).toEqual(['2026-11-22T01:00:00.000Z']);

    const publishes = sns.commandCalls(PublishCommand);
    expect(publishes).toHaveLength(1);
    const input = publishes[0]?.args[0].input;
    expect(input?.TopicArn).toBe(topicArn);
    expect(input?.MessageStructure).toBe('json');
    expect(input?.MessageAttributes?.['severity']?.StringValue).toBe('P1');
    expect(input?.Subject).toMatch(/^[\x20-\x7e]+$/);
    const putEvents = events.commandCalls(PutEventsCommand);
    expect(putEvents).toHaveLength(1);
    const entry = putEvents[0]?.args[0].input.Entries?.[0];
    expect(entry?.EventBusName).toBe(eventBusName);
    expect(entry?.DetailType).toBe('Health Check State Changed');

    // Scheduler redelivers the same scheduled time: recorded once, alerted once.
    const again = await handler(event, lambdaContext(60_000));
    expect(again.alerts).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(await store.history('root-disk')).toHaveLength(1);
  });

  it('delivers the published alert, in the envelope SNS gives Lambda, through the forwarder to PagerDuty', async () => {
    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish).toBeDefined();
    if (!publish) return;
    // The subscription's filter policy: only P1/P2 reach the forwarder.
    const severity = publish.MessageAttributes?.['severity']?.StringValue ?? '';
    expect(['P1', 'P2']).toContain(severity);
    // MessageStructure json: a Lambda subscriber receives the "default" part.
    const message = (JSON.parse(publish.Message ?? '{}') as { default: string }).default;
    const envelope = {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: `${topicArn}:0b6941c3-f04d-4d3e-a66d-b1df00e1e381`,
          Sns: {
            Type: 'Notification',
            MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
            TopicArn: topicArn,
            Subject: publish.Subject,
            Message: message,
            Timestamp: '2026-11-22T01:00:01.000Z',
            SignatureVersion: '1',
            Signature: 'EXAMPLE',
            SigningCertUrl: 'https://sns.ap-southeast-1.amazonaws.com/cert.pem',
            UnsubscribeUrl: 'https://sns.ap-southeast-1.amazonaws.com/?Action=Unsubscribe',
            MessageAttributes: Object.fromEntries(
              Object.entries(publish.MessageAttributes ?? {}).map(([name, value]) => [
                name,
                { Type: value.DataType, Value: value.StringValue },
              ]),
            ),
          },
        },
      ],
    };
    await forwarder(envelope, lambdaContext(30_000));
    expect(pagerDuty.received.map((r) => r.problems)).toEqual([[]]);
    expect(pagerDuty.accepted).toEqual([
      expect.objectContaining({
        routing_key: routingKey,
        event_action: 'trigger',
        dedup_key: 'root-disk',
        payload: expect.objectContaining({ severity: 'critical' }),
      }),
    ]);
  });

  it('rejects an event that is not a scheduler run, naming the field', async () => {
    await expect(handler({ suite: 'morning' }, lambdaContext(60_000))).rejects.toThrow(
      /scheduledTime/,
    );
  });

  it('fails loudly for a suite that is not in the bundled config', async () => {
    await expect(
      handler({ suite: 'nightly', scheduledTime: '2026-11-22T01:00:00Z' }, lambdaContext(60_000)),
    ).rejects.toThrow(/no suite "nightly"/);
  });
});
