import { Metrics } from '@aws-lambda-powertools/metrics';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DynamoResultStore } from '../../lib/store/dynamodb-store.ts';
import { DynamoSuiteRunStore } from '../../lib/store/dynamodb-suite-runs.ts';
import { startDynalite } from '../support/dynalite.ts';
import { type FakePagerDuty, startFakePagerDuty } from '../support/fake-pagerduty.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { lambdaTaskEnvironment } from '../support/lambda-task.ts';

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
  - id: databases
    schedule: "cron(0 9 * * ? *)"
    checks: [erp-db, rds-db, bad-db, data-disk]
checks:
  - id: data-disk
    type: disk
    paths: ["\${env:HEALTHCHECK_TEST_NEVER_SET_DIR}"]
  - id: erp-db
    type: connection-pool
    engine: postgres
    url: "\${secret:erp/db-url}"
  - id: rds-db
    type: connection-pool
    engine: postgres
    url: postgres://postgres:\${secret:rds!cluster-abc#password}@127.0.0.1:5432/test
  - id: bad-db
    type: connection-pool
    engine: postgres
    url: "\${secret:erp/bad-url}"
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
let suiteRuns: DynamoSuiteRunStore;

beforeAll(async () => {
  const dynamo = await startDynalite();
  const created = await dynamo.newStore();
  store = created.store;
  suiteRuns = new DynamoSuiteRunStore({ client: dynamo.client, tableName: created.tableName });
  await lambdaTaskEnvironment({
    config,
    tableName: created.tableName,
    dynamoEndpoint: dynamo.endpoint,
    environment: {
      HEALTHCHECK_TOPIC_ARN: topicArn,
      HEALTHCHECK_EVENT_BUS_NAME: eventBusName,
      HEALTHCHECK_STAGE: 'test-stage',
      POWERTOOLS_SERVICE_NAME: 'healthcheck-runner',
      POWERTOOLS_METRICS_NAMESPACE: 'Healthcheck',
    },
  });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  pagerDuty = await startFakePagerDuty();
  afterAll(() => pagerDuty.close());
  secretsManager.on(GetSecretValueCommand, { SecretId: 'erp/pagerduty' }).resolves({
    SecretString: routingKey,
  });
  // The checks' secrets: a whole URL, an RDS-managed JSON secret, and a URL of the wrong engine.
  secretsManager.on(GetSecretValueCommand, { SecretId: 'erp/db-url' }).resolves({
    SecretString: 'postgres://postgres@127.0.0.1:5432/test',
  });
  secretsManager.on(GetSecretValueCommand, { SecretId: 'rds!cluster-abc' }).resolves({
    SecretString: JSON.stringify({ username: 'postgres', password: 'rds-managed-password' }),
  });
  secretsManager.on(GetSecretValueCommand, { SecretId: 'erp/bad-url' }).resolves({
    SecretString: 'mysql://monitor:bad-url-password@127.0.0.1:3306/erp',
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
      // Per suite and type by default (no CheckStatus metric per check: statuses are logged);
      // the stage is a default dimension of every record (see the secrets test below).
      expect(dimensions.mock.calls.map(([d]) => d)).toEqual([
        { suite: 'morning', checkType: 'disk' },
        { suite: 'morning' },
        { channel: 'eventbridge' },
        { channel: 'sns' },
        { channel: 'pagerduty' },
      ]);
      const metricsAdded = added.mock.calls.map(([name, , value]) => [name, value]);
      expect(metricsAdded).toEqual(
        expect.arrayContaining([
          ['ChecksRun', 1],
          ['ChecksFailed', 1],
          ['SuiteCompleted', 1],
        ]),
      );
      expect(metricsAdded.map(([name]) => name)).not.toContain('CheckStatus');
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
    // What the watchdog reads: the suite's last completed run.
    expect((await suiteRuns.getSuiteRuns(['morning'])).get('morning')).toMatchObject({
      lastScheduledTime: '2026-11-22T01:00:00.000Z',
      lastStatus: 'critical',
    });
  });

  it('paged PagerDuty directly from the outbox, with the routing key from Secrets Manager', () => {
    expect(pagerDuty.received.map((r) => r.problems)).toEqual([[]]);
    expect(pagerDuty.accepted).toEqual([
      expect.objectContaining({
        routing_key: routingKey,
        event_action: 'trigger',
        // The stack's stage prefixes the dedup key, so another stage's incident is never touched.
        dedup_key: 'test-stage/root-disk',
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

describe('runner handler: secrets', () => {
  it('resolves whole-value and JSON-key secrets from Secrets Manager; a bad value or unset variable fails only its check', async () => {
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    let summary: Awaited<ReturnType<Handler>> & {
      results: { check: string; status: string; summary: string }[];
    };
    try {
      summary = (await handler(
        { suite: 'databases', scheduledTime: '2026-11-22T02:00:00Z' },
        lambdaContext(60_000),
      )) as typeof summary;
    } finally {
      write.mockRestore();
    }
    const byId = new Map(summary.results.map((r) => [r.check, r]));
    // The local PostgreSQL answered both (trust auth): measured, whatever its load.
    expect(byId.get('erp-db')?.status).not.toBe('unknown');
    expect(byId.get('rds-db')?.status).not.toBe('unknown');
    expect(byId.get('bad-db')).toMatchObject({
      status: 'unknown',
      summary:
        'check failed: invalid value after resolving secrets: url (from secret erp/bad-url): must start with postgres:// or postgresql:// for engine postgres',
    });
    // An \${env:} the function's environment lacks fails that check only.
    expect(byId.get('data-disk')).toMatchObject({
      status: 'unknown',
      summary:
        'check failed: environment variable HEALTHCHECK_TEST_NEVER_SET_DIR is not set where this check runs',
    });
    const requested = secretsManager
      .commandCalls(GetSecretValueCommand)
      .map((call) => call.args[0].input.SecretId);
    expect(requested).toEqual(
      expect.arrayContaining(['erp/db-url', 'rds!cluster-abc', 'erp/bad-url']),
    );
    const logged = out.join('');
    expect(logged).not.toMatch(/rds-managed-password|bad-url-password/);
    // Every EMF metric line carries the stage as a dimension.
    const emf = logged
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .map(
        (line) => JSON.parse(line) as { _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] } },
      );
    expect(emf.length).toBeGreaterThan(0);
    for (const record of emf) {
      expect(record).toMatchObject({ stage: 'test-stage' });
      for (const set of record._aws.CloudWatchMetrics[0]?.Dimensions ?? []) {
        expect(set).toContain('stage');
      }
    }
  }, 60_000);
});
