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
    url: \${env:TEST_PAGERDUTY_URL}
`;

type Handler = (
  event: unknown,
  context: Context,
) => Promise<{
  status: string;
  alerts: { check: string; event: string }[];
}>;

let handler: Handler;
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
  pagerDuty = await startFakePagerDuty();
  afterAll(() => pagerDuty.close());
  secretsManager.on(GetSecretValueCommand, { SecretId: 'erp/pagerduty' }).resolves({
    SecretString: routingKey,
  });
  process.env['TEST_PAGERDUTY_URL'] = pagerDuty.url;
  ({ handler } = (await import('../../functions/runner/handler.ts')) as unknown as {
    handler: Handler;
  });
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
        { channel: 'eventbridge' },
        { channel: 'sns' },
        { channel: 'pagerduty' },
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

  it('paged PagerDuty directly from the outbox, with the routing key from Secrets Manager', () => {
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

  it('a delivery pass sends what PagerDuty could not take during the run', async () => {
    const run = (await handler(
      { suite: 'morning', scheduledTime: '2026-11-22T02:00:00Z' },
      lambdaContext(60_000),
    )) as unknown as { alerts: unknown[] };
    // Still critical (the disk did not change): nothing new. Put a waiting resolve in its outbox.
    expect(run.alerts).toEqual([]);
    const state = (await store.getStates(['root-disk'])).get('root-disk');
    if (!state) throw new Error('no state');
    expect(state.alert.openOn).toEqual(['eventbridge', 'pagerduty', 'sns']);
    const resolve = {
      ...(state.lastResult ?? {}),
      id: 'root-disk:resolve:2026-11-22T02:00:05.000Z',
      check: 'root-disk',
      suite: 'morning',
      event: 'resolve' as const,
      status: 'ok' as const,
      previousStatus: 'critical' as const,
      severity: 'P1' as const,
      summary: 'fine again',
      details: {},
      since: '2026-11-22T01:00:00.000Z',
      at: '2026-11-22T02:00:05.000Z',
    };
    expect(
      await store.putState(
        {
          ...state,
          version: state.version + 1,
          alert: {
            ...state.alert,
            outbox: [{ notification: resolve, channels: ['pagerduty'], attempts: 1 }],
          },
        },
        state.version,
      ),
    ).toBe(true);
    type Pass = { delivered: number; pending: number; refused: number };
    // PagerDuty is down during the first pass (all four attempts): the resolve stays.
    pagerDuty.script.push(503, 503, 503, 503);
    const down = (await handler({ deliver: 'pending' }, lambdaContext(60_000))) as unknown as Pass;
    expect(down).toMatchObject({ delivered: 0, pending: 1, refused: 0 });
    const added = vi.spyOn(Metrics.prototype, 'addMetric');
    const pass = (await handler({ deliver: 'pending' }, lambdaContext(60_000))) as unknown as Pass;
    expect(pass).toMatchObject({ delivered: 1, pending: 0, refused: 0 });
    expect(pagerDuty.accepted.map((e) => e['event_action'])).toEqual(['trigger', 'resolve']);
    expect(added.mock.calls.map(([name, , value]) => [name, value])).toEqual(
      expect.arrayContaining([['NotificationsDelivered', 1]]),
    );
    added.mockRestore();
    const after = (await store.getStates(['root-disk'])).get('root-disk');
    expect(after?.alert.outbox).toEqual([]);
    expect(after?.alert.openOn).toEqual(['eventbridge', 'sns']);
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
