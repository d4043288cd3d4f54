import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite } from '../support/dynalite.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { lambdaTaskEnvironment } from '../support/lambda-task.ts';
import { s3TestCredentials, startS3 } from '../support/s3-server.ts';
import { createTestPki, inDays } from '../support/tls-certificates.ts';

// The runner handler as Lambda loads it, running the example's kinds of checks that read S3:
// a certificate file copied to a bucket, and a MinIO-style pending/ backlog (s3rver stands in).
const sns = mockClient(SNSClient);
const events = mockClient(EventBridgeClient);

type Handler = (
  event: unknown,
  context: Context,
) => Promise<{ status: string; results: { check: string; status: string; summary: string }[] }>;

let handler: Handler;
let pkiDir = '';

beforeAll(async () => {
  const dynamo = await startDynalite();
  const { tableName } = await dynamo.newStore();
  const s3 = await startS3();
  afterAll(() => s3.close());
  pkiDir = await mkdtemp(join(tmpdir(), 'healthcheck-runner-files-'));
  const pki = await createTestPki(pkiDir);
  const leaf = await pki.issue({ names: ['erp.company.vn'], notAfter: inDays(12.5) });
  await s3.put('certs/erp.company.vn/fullchain.pem', `${leaf.cert}${pki.caPem}`);
  const now = Date.now();
  await s3.put('pending/label-0001.pdf', 'a', new Date(now - 45 * 60_000));
  await s3.put('pending/label-0002.pdf', 'b', new Date(now - 2 * 60_000));
  const s3Access = `endpoint: ${s3.endpoint}, accessKeyId: ${s3TestCredentials.accessKeyId}, secretAccessKey: ${s3TestCredentials.secretAccessKey}`;
  await lambdaTaskEnvironment({
    config: [
      'timezone: Asia/Ho_Chi_Minh',
      'suites:',
      '  - {id: monthly, schedule: "cron(0 2 ? * SAT#1 *)", checks: [erp-cert-file-s3, lakehouse-pending]}',
      'checks:',
      `  - {id: erp-cert-file-s3, type: tls-certificate, file: "s3://${s3.bucket}/certs/erp.company.vn/fullchain.pem", servername: erp.company.vn, ${s3Access}}`,
      `  - {id: lakehouse-pending, type: backup, mode: backlog, location: "s3://${s3.bucket}/pending/", maxCount: {warning: 10}, maxOldestAge: {warning: 10m, critical: 30m}, ${s3Access}}`,
      '',
    ].join('\n'),
    tableName,
    dynamoEndpoint: dynamo.endpoint,
    environment: {
      HEALTHCHECK_TOPIC_ARN: 'arn:aws:sns:ap-southeast-1:123456789012:alerts',
      HEALTHCHECK_EVENT_BUS_NAME: 'health-events',
      POWERTOOLS_SERVICE_NAME: 'healthcheck-runner',
      POWERTOOLS_METRICS_NAMESPACE: 'Healthcheck',
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
  });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  ({ handler } = (await import('../../functions/runner/handler.ts')) as unknown as {
    handler: Handler;
  });
}, 60_000);

afterAll(async () => {
  await rm(pkiDir, { recursive: true, force: true });
});

describe('runner handler: certificate files and backlogs in S3', () => {
  it('judges the certificate file and the pending/ backlog as the CLI does', async () => {
    const summary = await handler(
      { suite: 'monthly', scheduledTime: '2026-12-05T19:00:00Z' },
      lambdaContext(60_000),
    );
    const byCheck = Object.fromEntries(summary.results.map((r) => [r.check, r]));
    // The test CA is in the file but not in the trust store: critical, with the days left.
    expect(byCheck['erp-cert-file-s3']?.status).toBe('critical');
    expect(byCheck['erp-cert-file-s3']?.summary).toMatch(
      /fullchain\.pem \(erp\.company\.vn\) certificate not trusted: self-signed certificate in the chain; expires in 12 days/,
    );
    expect(byCheck['lakehouse-pending']?.status).toBe('critical');
    expect(byCheck['lakehouse-pending']?.summary).toMatch(
      /^backlog s3:\/\/[^ ]+\/pending\/: 2 entries, 2 B in all; oldest label-0001\.pdf, 45 min old \(critical above 30m\)/,
    );
    expect(summary.status).toBe('critical');
  }, 60_000);
});
