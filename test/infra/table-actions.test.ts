import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notifier } from '../../lib/alerting/notifier.ts';
import { parseConfigText } from '../../lib/config/load-config.ts';
import { runnerTableActions } from '../../lib/infra/runner-grants.ts';
import { executeRun } from '../../lib/run/execute-run.ts';
import { DynamoResultStore } from '../../lib/store/dynamodb-store.ts';
import { DynamoSuiteRunStore } from '../../lib/store/dynamodb-suite-runs.ts';
import { ensureTable } from '../../lib/store/ensure-table.ts';
import { watchSuites } from '../../lib/watchdog/watch-suites.ts';
import { loaderOf } from '../support/fake-checks.ts';

// The runner and watchdog roles get `runnerTableActions` and nothing else on the table: every
// DynamoDB action the store adapter sends on those paths, recorded here from the real requests
// against dynalite, must be in that list (a new call without a grant fails here, not on AWS).
const sent = new Set<string>();
let store: DynamoResultStore;
let suiteRuns: DynamoSuiteRunStore;
let server: ReturnType<typeof dynalite>;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'local',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const tableName = 'results-actions';
  await ensureTable(client, tableName);
  client.middlewareStack.add(
    (next) => async (args) => {
      const target = (args.request as { headers?: Record<string, string> }).headers?.[
        'x-amz-target'
      ];
      if (target) sent.add(`dynamodb:${target.split('.')[1]}`);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordAction' },
  );
  store = new DynamoResultStore({ client, tableName });
  suiteRuns = new DynamoSuiteRunStore({ client, tableName });
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const config = parseConfigText(
  `
suites: [{id: morning, schedule: "cron(0 8 * * ? *)", checks: [a, b]}]
checks: [{id: a, type: disk, paths: [/]}, {id: b, type: disk, paths: [/]}]
`,
  { env: {} },
);

const accepting: Notifier = { channel: 'sns', accepts: () => true, deliver: async () => {} };

describe('DynamoDB actions of the runner and the watchdog', () => {
  it('are all granted', async () => {
    let status = 'critical';
    const loadCheck = loaderOf({ disk: async () => ({ status, summary: status }) as never });
    for (const [at, next] of [
      ['2026-11-22T01:00:00Z', 'ok'],
      ['2026-11-23T01:00:00Z', 'ok'],
    ] as const) {
      const report = await executeRun(
        config,
        { suites: ['morning'] },
        { loadCheck, alerting: { store, notifiers: [accepting], scheduledTime: new Date(at) } },
      );
      await suiteRuns.recordSuiteRun('morning', {
        scheduledTime: new Date(at).toISOString(),
        completedAt: report.finishedAt,
        status: report.status,
      });
      status = next;
    }
    await watchSuites(
      { config, now: new Date('2026-11-25T12:00:00Z'), allowanceMs: 3_600_000 },
      { store, notifiers: [accepting] },
      suiteRuns,
    );
    await store.history('a');
    expect(sent.size).toBeGreaterThanOrEqual(4);
    expect([...sent].filter((a) => !(runnerTableActions as readonly string[]).includes(a))).toEqual(
      [],
    );
  });
});
