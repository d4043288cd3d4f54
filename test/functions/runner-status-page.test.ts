import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuiteRunner } from '../../functions/runner/suite-runner.ts';
import { parseConfigText } from '../../lib/config/load-config.ts';
import { DynamoSuiteRunStore } from '../../lib/store/dynamodb-suite-runs.ts';
import { startDynalite } from '../support/dynalite.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { type LoopbackS3, startS3 } from '../support/s3-server.ts';

// The runner handler as Lambda loads it, with a status page bucket: DynamoDB is dynalite and the
// bucket is s3rver (endpoint overrides); SNS and EventBridge have no local server, so they are
// captured with aws-sdk-client-mock.
mockClient(SNSClient).on(PublishCommand).resolves({ MessageId: 'm-1' });
mockClient(EventBridgeClient)
  .on(PutEventsCommand)
  .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

const config = `
timezone: Asia/Ho_Chi_Minh
suites:
  - id: morning
    schedule: "cron(0 8 * * ? *)"
    checks: [root-disk, full-disk]
checks:
  - id: root-disk
    name: "Ổ đĩa gốc"
    type: disk
    paths: [/]
  - id: full-disk
    name: "Đĩa dữ liệu ERP"
    type: disk
    paths: [/]
    warningPercent: 1
    criticalPercent: 2
    severity: P1
`;

type Handler = (event: unknown, context: Context) => Promise<{ status: string }>;

let handler: Handler;
let s3: LoopbackS3;

async function object(key: string) {
  const out = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return {
    body: (await out.Body?.transformToString('utf-8')) ?? '',
    contentType: out.ContentType,
    cacheControl: out.CacheControl,
  };
}

beforeAll(async () => {
  const dynamo = await startDynalite();
  const created = await dynamo.newStore();
  s3 = await startS3();
  afterAll(() => s3.close());
  const taskRoot = await mkdtemp(join(tmpdir(), 'healthcheck-runner-page-'));
  afterAll(() => rm(taskRoot, { recursive: true, force: true }));
  await writeFile(join(taskRoot, 'healthchecks.yaml'), config);
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    LAMBDA_TASK_ROOT: taskRoot,
    HEALTHCHECK_CONFIG_FILE: 'healthchecks.yaml',
    HEALTHCHECK_TABLE: created.tableName,
    HEALTHCHECK_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
    HEALTHCHECK_EVENT_BUS_NAME: 'health-events',
    HEALTHCHECK_DYNAMODB_ENDPOINT: dynamo.endpoint,
    HEALTHCHECK_STATUS_BUCKET: s3.bucket,
    HEALTHCHECK_STATUS_TITLE: 'ERP status',
    HEALTHCHECK_S3_ENDPOINT: s3.endpoint,
    POWERTOOLS_SERVICE_NAME: 'healthcheck-runner',
    POWERTOOLS_METRICS_NAMESPACE: 'Healthcheck',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  ({ handler } = (await import('../../functions/runner/handler.ts')) as unknown as {
    handler: Handler;
  });
}, 60_000);

describe('runner publishes the status page after every run', { timeout: 60_000 }, () => {
  it('writes the page and its feed to the bucket, then updates them from the previous feed', async () => {
    await handler(
      { suite: 'morning', scheduledTime: '2026-11-22T01:00:00Z' },
      lambdaContext(60_000),
    );
    const page = await object('index.html');
    expect(page.contentType).toBe('text/html; charset=utf-8');
    expect(page.cacheControl).toBe('max-age=60, must-revalidate');
    expect(page.body).toContain('<title>1 open incident · ERP status</title>');
    expect(page.body).toContain('Đĩa dữ liệu ERP');
    expect(page.body).toContain('href="status.json"');
    const first = JSON.parse((await object('status.json')).body);
    expect(first).toMatchObject({ incidents: ['full-disk'], timezone: 'Asia/Ho_Chi_Minh' });

    await handler(
      { suite: 'morning', scheduledTime: '2026-11-23T01:00:00Z' },
      lambdaContext(60_000),
    );
    const feed = JSON.parse((await object('status.json')).body);
    expect(feed.generatedAt > first.generatedAt).toBe(true);
    const full = feed.checks.find((c: { id: string }) => c.id === 'full-disk');
    expect(full.recent.map((r: { at: string; status: string }) => [r.at, r.status])).toEqual([
      ['2026-11-22T01:00:00.000Z', 'critical'],
      ['2026-11-23T01:00:00.000Z', 'critical'],
    ]);
    expect(full.failingSince).toBeTruthy();
  });
});

describe('a status page that cannot be published', () => {
  it('is logged, and the run still succeeds with its results', async () => {
    const errors: string[] = [];
    const dynamo = await startDynalite();
    const { store, tableName } = await dynamo.newStore();
    const run = createSuiteRunner({
      suiteRuns: new DynamoSuiteRunStore({ client: dynamo.client, tableName }),
      config: () => parseConfigText(config, { env: {} }),
      store,
      notifiers: async () => [],
      secrets: { resolve: async () => '' },
      loadCheck: async () => ({ run: async () => ({ status: 'ok', summary: 'fine' }) }),
      logger: { info() {}, warn() {}, error: (message) => errors.push(message) },
      publishMetrics() {},
      publishStatusPage: async () => {
        throw new Error('AccessDenied: s3:PutObject');
      },
    });
    const summary = await run({ suite: 'morning', scheduledTime: '2026-11-22T01:00:00Z' }, 30_000);
    expect(summary).toMatchObject({ suite: 'morning', status: 'ok' });
    expect(errors).toEqual(['status page not published; the next run retries']);
    expect((await store.history('root-disk')).length).toBe(1);
  });
});
