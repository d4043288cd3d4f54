/**
 * Sharded suites, measured end to end on one machine: the synthesized state machine run by
 * aws-local-stepfunctions, its Lambda tasks bound to the real runner handler in-process,
 * dynalite as the results table, and a loopback HTTP server where a share of the checks hang
 * to their timeout. `--mode single` instead invokes the runner once for the whole suite, as an
 * unsharded schedule does, to show where one invocation stops.
 *
 *   node bench/sharded-run.ts [--checks 5000] [--hang-percent 10] [--timeout 2]
 *                             [--runner-timeout 24] [--mode sharded|single]
 *
 * Prints one JSON object: shards, wall time per step, and how each check ended.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { Context } from 'aws-lambda';
import { StateMachine } from 'aws-local-stepfunctions';
import { mockClient } from 'aws-sdk-client-mock';
import dynalite from 'dynalite';
import { HealthChecker } from '../lib/infra/health-checker.ts';
import { shardedRunStates } from '../lib/infra/sharded-suite-runs.ts';
import { DynamoResultStore } from '../lib/store/dynamodb-store.ts';
import { ensureTable } from '../lib/store/ensure-table.ts';
import { lambdaContext } from '../test/support/lambda-context.ts';
import { largeSuiteConfig } from '../test/support/large-suite.ts';
import { startHangingTargets, synthesizedDefinition } from '../test/support/local-state-machine.ts';

const { values } = parseArgs({
  options: {
    checks: { type: 'string', default: '5000' },
    'hang-percent': { type: 'string', default: '10' },
    timeout: { type: 'string', default: '2' },
    'runner-timeout': { type: 'string', default: '24' },
    mode: { type: 'string', default: 'sharded' },
  },
});
const checks = Number(values.checks);
const hangEvery = Number(values['hang-percent']) > 0 ? 100 / Number(values['hang-percent']) : 0;
const timeoutSeconds = Number(values.timeout);
const runnerTimeoutMs = Number(values['runner-timeout']) * 1000;

const dir = mkdtempSync(join(tmpdir(), 'healthcheck-bench-shards-'));
const targets = await startHangingTargets();
const server = dynalite({ createTableMs: 0 });
try {
  const hangs = (i: number) => hangEvery > 0 && i % hangEvery === 0;
  const yaml = largeSuiteConfig(checks, {
    url: (i) => `${targets.url}/${hangs(i) ? 'hang' : 'ok'}/${i}`,
    timeoutSeconds,
    extra: 'defaults: {concurrency: 128, concurrencyPerTarget: 1024}',
  });
  const configFile = join(dir, 'healthchecks.yaml');
  writeFileSync(configFile, yaml);

  let t0 = performance.now();
  const app = new App({ outdir: join(dir, 'cdk.out'), context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Bench');
  const checker = new HealthChecker(stack, 'Checker', {
    configFile,
    runnerTimeout: Duration.millis(runnerTimeoutMs),
    // One shard at a time: here every shard shares this process's CPU.
    sharding: { mapMaxConcurrency: 1 },
  });
  const template = Template.fromStack(stack);
  const shardCount = checker.shardCounts.get('fleet') ?? 1;
  const synthMs = performance.now() - t0;

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const tableName = 'bench-shards';
  await ensureTable(client, tableName);
  writeFileSync(join(dir, 'task.yaml'), yaml);
  Object.assign(process.env, {
    AWS_REGION: 'ap-southeast-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    LAMBDA_TASK_ROOT: dir,
    HEALTHCHECK_CONFIG_FILE: 'task.yaml',
    HEALTHCHECK_TABLE: tableName,
    HEALTHCHECK_DYNAMODB_ENDPOINT: endpoint,
    HEALTHCHECK_TOPIC_ARN: 'arn:aws:sns:ap-southeast-1:123456789012:alerts',
    HEALTHCHECK_EVENT_BUS_NAME: 'bench',
    HEALTHCHECK_STAGE: 'bench',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const sns = mockClient(SNSClient);
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  mockClient(EventBridgeClient)
    .on(PutEventsCommand)
    .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  const { handler } = (await import('../functions/runner/handler.ts')) as unknown as {
    handler: (event: unknown, context: Context) => Promise<Record<string, unknown>>;
  };
  const scheduledTime = '2026-12-01T02:00:00Z';
  const steps: Record<string, number> = {};

  t0 = performance.now();
  let output: unknown;
  if (values.mode === 'single') {
    output = await handler({ suite: 'fleet', scheduledTime }, lambdaContext(runnerTimeoutMs));
  } else {
    const machine = new StateMachine(synthesizedDefinition(template) as never, {
      validationOptions: { checkArn: false, checkPaths: false },
    });
    const timed =
      (name: string, remainingMs: number) =>
      async (input: unknown): Promise<never> => {
        const start = performance.now();
        const result = await handler(input, lambdaContext(remainingMs));
        steps[name] = (steps[name] ?? 0) + (performance.now() - start);
        return result as never;
      };
    output = await machine.run(
      {
        suite: 'fleet',
        scheduledTime,
        shardCount,
        shards: Array.from({ length: shardCount }, (_, i) => i + 1),
      },
      {
        overrides: {
          taskResourceLocalHandlers: {
            [shardedRunStates.shard]: timed('shardsMs', runnerTimeoutMs),
            [shardedRunStates.aggregate]: timed('aggregateMs', 300_000),
          },
        },
      },
    ).result;
  }
  const wallMs = performance.now() - t0;

  const store = new DynamoResultStore({ client, tableName });
  const ids = Array.from({ length: checks }, (_, i) => `svc-${String(i).padStart(5, '0')}`);
  const states = await store.getStates(ids);
  const endings: Record<string, number> = {};
  for (const id of ids) {
    const state = states.get(id);
    const summary = state?.lastResult?.summary ?? '';
    const kind = state?.skipped
      ? 'skipped (not run)'
      : !state?.lastResult
        ? 'no result'
        : /time budget ran out/.test(summary)
          ? 'unknown: stopped by the run budget'
          : /timed out after/.test(summary)
            ? 'ran to its own timeout'
            : `${state.lastResult.status}`;
    endings[kind] = (endings[kind] ?? 0) + 1;
  }
  client.destroy();
  process.stdout.write(
    `${JSON.stringify(
      {
        mode: values.mode,
        checks,
        hangPercent: Number(values['hang-percent']),
        timeoutSeconds,
        runnerTimeoutSeconds: runnerTimeoutMs / 1000,
        shards: values.mode === 'single' ? 1 : shardCount,
        synthMs: Math.round(synthMs),
        wallMs: Math.round(wallMs),
        ...Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, Math.round(v)])),
        endings,
        notifications: sns.commandCalls(PublishCommand).length,
        summary: (output as { aggregate?: unknown })?.aggregate ?? {
          status: (output as { status?: unknown })?.status,
          skipped: ((output as { skipped?: unknown[] })?.skipped ?? []).length,
        },
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await targets.close();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
}
