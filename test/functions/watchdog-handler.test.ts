import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoSuiteRunStore } from '../../lib/store/dynamodb-suite-runs.ts';
import { startDynalite } from '../support/dynalite.ts';
import { lambdaTaskEnvironment } from '../support/lambda-task.ts';

// The watchdog handler as Lambda loads it (env from the stack, config in the task root),
// DynamoDB = dynalite, SNS and EventBridge captured. Only Date is faked: the SDK's timers run.
const sns = mockClient(SNSClient);
const events = mockClient(EventBridgeClient);

const config = `
timezone: Asia/Ho_Chi_Minh
suites:
  - id: erp-monthly # first Saturday 02:00: 2026-11-07 (2026-11-06T19:00Z), 2026-12-05 (2026-12-04T19:00Z)
    schedule: "cron(0 2 ? * SAT#1 *)"
    checks: [erp-backup]
  - id: erp-morning
    schedule: "cron(0 8 * * ? *)"
    checks: [root-disk]
checks:
  - {id: erp-backup, type: disk, paths: [/], severity: P1}
  - {id: root-disk, type: disk, paths: [/], severity: P3}
`;

type Handler = (
  event: unknown,
  context: Context,
) => Promise<{ overdue: string[]; alerts: { check: string; event: string; severity: string }[] }>;

let handler: Handler;
let store: DynamoSuiteRunStore;
// 1 h of Scheduler retries + 5 min runner timeout + 1 h grace, as the stack computes it.
const allowanceMs = (60 + 5 + 60) * 60_000;

function context(): Context {
  return { getRemainingTimeInMillis: () => 50_000 } as unknown as Context;
}

beforeAll(async () => {
  const dynamo = await startDynalite();
  const created = await dynamo.newStore();
  store = new DynamoSuiteRunStore({ client: dynamo.client, tableName: created.tableName });
  await lambdaTaskEnvironment({
    config,
    tableName: created.tableName,
    dynamoEndpoint: dynamo.endpoint,
    environment: {
      HEALTHCHECK_TOPIC_ARN: 'arn:aws:sns:ap-southeast-1:123456789012:alerts',
      HEALTHCHECK_EVENT_BUS_NAME: 'health-events',
      HEALTHCHECK_WATCHDOG_ALLOWANCE_MS: String(allowanceMs),
    },
  });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  ({ handler } = (await import('../../functions/watchdog/handler.ts')) as unknown as {
    handler: Handler;
  });
});
afterEach(() => vi.useRealTimers());

async function watchAt(now: string) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(now));
  try {
    return await handler({ scheduledTime: now }, context());
  } finally {
    vi.useRealTimers();
  }
}

describe('watchdog handler', () => {
  it('expects nothing of a suite before it first saw it, then raises one alert for a missed monthly run', async () => {
    // First look (just deployed, in October): nothing is held against the suites.
    const first = await watchAt('2026-10-01T00:00:00Z');
    expect(first).toEqual({ overdue: [], alerts: [] });
    for (const suite of ['erp-monthly', 'erp-morning']) {
      await store.recordSuiteRun(suite, {
        scheduledTime:
          suite === 'erp-monthly' ? '2026-11-06T19:00:00.000Z' : '2026-12-05T01:00:00.000Z',
        completedAt: '2026-12-05T01:00:05.000Z',
        status: 'ok',
      });
    }
    // December's run was due 2026-12-04T19:00Z; its allowance ends 21:05Z.
    const early = await watchAt('2026-12-04T21:00:00Z');
    expect(early.overdue).toEqual([]);
    sns.resetHistory();
    const late = await watchAt('2026-12-05T02:00:00Z');
    expect(late.overdue).toEqual(['watchdog:erp-monthly']);
    expect(late.alerts).toEqual([
      expect.objectContaining({ check: 'watchdog:erp-monthly', event: 'trigger', severity: 'P1' }),
    ]);
    // Through the normal alert path: SNS (email, and the PagerDuty filter on severity) and EventBridge.
    const published = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(published).toHaveLength(1);
    expect(published[0]?.MessageAttributes?.['severity']?.StringValue).toBe('P1');
    const notification = JSON.parse(
      (JSON.parse(published[0]?.Message ?? '{}') as { default: string }).default,
    ) as { check: string; status: string; summary: string };
    expect(notification).toMatchObject({ check: 'watchdog:erp-monthly', status: 'critical' });
    expect(notification.summary).toMatch(
      /^suite erp-monthly has not completed its run scheduled for 2026-12-05 02:00 Asia\/Ho_Chi_Minh \(cron\(0 2 \? \* SAT#1 \*\)\)/,
    );

    // Still overdue an hour later: no second page.
    const again = await watchAt('2026-12-05T03:00:00Z');
    expect(again.overdue).toEqual(['watchdog:erp-monthly']);
    expect(again.alerts).toEqual([]);
    // The run completes: the next look resolves.
    await store.recordSuiteRun('erp-monthly', {
      scheduledTime: '2026-12-04T19:00:00.000Z',
      completedAt: '2026-12-05T03:10:00.000Z',
      status: 'ok',
    });
    const resolved = await watchAt('2026-12-05T04:00:00Z');
    expect(resolved.alerts).toEqual([
      expect.objectContaining({ check: 'watchdog:erp-monthly', event: 'resolve' }),
    ]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  }, 60_000);

  it('keeps a suite record moving forward only: an older run recorded late changes nothing', async () => {
    await store.recordSuiteRun('erp-monthly', {
      scheduledTime: '2026-10-02T19:00:00.000Z',
      completedAt: '2026-12-06T00:00:00.000Z',
      status: 'critical',
    });
    const record = (await store.getSuiteRuns(['erp-monthly'])).get('erp-monthly');
    expect(record).toMatchObject({
      lastScheduledTime: '2026-12-04T19:00:00.000Z',
      lastStatus: 'ok',
      watchingSince: '2026-10-01T00:00:00.000Z',
    });
  });
});
