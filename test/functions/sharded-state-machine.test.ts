import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { Duration } from 'aws-cdk-lib';
import type { Context } from 'aws-lambda';
import { StateMachine } from 'aws-local-stepfunctions';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../lib/config/load-config.ts';
import { selectChecks } from '../../lib/core/select-checks.ts';
import { shardedRunStates } from '../../lib/infra/sharded-suite-runs.ts';
import { shardsOf } from '../../lib/shard/suite-shards.ts';
import type { DynamoResultStore } from '../../lib/store/dynamodb-store.ts';
import { DynamoSuiteRunStore } from '../../lib/store/dynamodb-suite-runs.ts';
import { synthChecker } from '../infra/synth-helpers.ts';
import { startDynalite } from '../support/dynalite.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { lambdaTaskEnvironment } from '../support/lambda-task.ts';
import { largeSuiteConfig } from '../support/large-suite.ts';
import { startHangingTargets, synthesizedDefinition } from '../support/local-state-machine.ts';

// The synthesized state machine, run locally (aws-local-stepfunctions) with its Lambda tasks
// bound to the real runner handler in-process and dynalite as the results table: a 2,000-check
// suite in which every tenth check hangs to its 5 s timeout.
const checks = 2000;
const sns = mockClient(SNSClient);
const events = mockClient(EventBridgeClient);
type Handler = (event: unknown, context: Context) => Promise<unknown>;
/** What aws-local-stepfunctions passes local task handlers (it does not export the type). */
type JSONValue = Parameters<
  NonNullable<
    NonNullable<
      NonNullable<Parameters<StateMachine['run']>[1]>['overrides']
    >['taskResourceLocalHandlers']
  >[string]
>[0];

let handler: Handler;
let store: DynamoResultStore;
let suiteRuns: DynamoSuiteRunStore;
let definition: Record<string, unknown>;
let shardCount: number;
let yaml: string;
const shardCalls: { index: number; attempt: number }[] = [];

let targets: Awaited<ReturnType<typeof startHangingTargets>> | undefined;
afterAll(() => targets?.close());

beforeAll(async () => {
  targets = await startHangingTargets();
  const { url } = targets;
  yaml = largeSuiteConfig(checks, {
    url: (i) => `${url}/${i % 10 === 0 ? 'hang' : 'ok'}/${i}`,
    timeoutSeconds: 5,
    // One loopback target: lift the per-target cap so only `concurrency` limits a shard.
    extra: 'defaults: {concurrency: 128, concurrencyPerTarget: 1024}',
  });
  // A 60 s runner: 48 s for checks, less than the suite's worst case (16 waves of 5 s). The 5 s
  // deadline leaves an answering target room on a loaded machine (all of this is one process).
  // One shard at a time: in this process the shards share one CPU (and the targets' server),
  // where on AWS each has a Lambda of its own.
  const synth = synthChecker(yaml, {
    runnerTimeout: Duration.seconds(60),
    sharding: { mapMaxConcurrency: 1 },
  });
  shardCount = synth.checker.shardCounts.get('fleet') ?? 1;
  definition = synthesizedDefinition(synth.template);
  const dynamo = await startDynalite();
  const created = await dynamo.newStore();
  store = created.store;
  suiteRuns = new DynamoSuiteRunStore({ client: dynamo.client, tableName: created.tableName });
  await lambdaTaskEnvironment({
    config: yaml,
    tableName: created.tableName,
    dynamoEndpoint: dynamo.endpoint,
    environment: {
      HEALTHCHECK_TOPIC_ARN: 'arn:aws:sns:ap-southeast-1:123456789012:alerts',
      HEALTHCHECK_EVENT_BUS_NAME: 'health-events',
      HEALTHCHECK_STAGE: 'test',
      // The runner's EMF lines would fill the test output; metrics are tested in run-metrics.
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
  });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  ({ handler } = (await import('../../functions/runner/handler.ts')) as unknown as {
    handler: Handler;
  });
}, 180_000);

/** Runs the synthesized definition; `shard` may replace a shard task (to crash it). */
async function execute(
  scheduledTime: string,
  shard: (input: { shard: { index: number } }, attempt: number) => Promise<unknown> = (input) =>
    handler(input, lambdaContext(60_000)),
) {
  const attempts = new Map<number, number>();
  const machine = new StateMachine(definition as never, {
    validationOptions: { checkArn: false, checkPaths: false },
  });
  const execution = machine.run(
    {
      suite: 'fleet',
      scheduledTime,
      shardCount,
      shards: Array.from({ length: shardCount }, (_, i) => i + 1),
    },
    {
      overrides: {
        taskResourceLocalHandlers: {
          [shardedRunStates.shard]: async (json: JSONValue) => {
            const input = json as unknown as { shard: { index: number } };
            const attempt = (attempts.get(input.shard.index) ?? 0) + 1;
            attempts.set(input.shard.index, attempt);
            shardCalls.push({ index: input.shard.index, attempt });
            return (await shard(input, attempt)) as JSONValue;
          },
          [shardedRunStates.aggregate]: async (input: JSONValue) =>
            (await handler(input, lambdaContext(120_000))) as JSONValue,
        },
        retryIntervalOverrides: { [shardedRunStates.shard]: 0, [shardedRunStates.aggregate]: 0 },
      },
    },
  );
  return execution.result as Promise<{ aggregate?: Record<string, unknown> }>;
}

const checkIds = Array.from({ length: checks }, (_, i) => `svc-${String(i).padStart(5, '0')}`);
const hanging = checkIds.filter((_, i) => i % 10 === 0);

describe('a sharded suite on the synthesized state machine', () => {
  it('splits the suite (the runner alone could not finish it)', () => {
    expect(shardCount).toBeGreaterThan(1);
  });

  it('runs every check once per shard, records all, alerts each failure once even when a shard is retried', async () => {
    const slot = '2026-12-01T02:00:00Z';
    // Shard 1 crashes after storing its results (a timeout at the very end): Step Functions
    // retries it, and the retry overwrites what the first attempt stored.
    const output = await execute(slot, async (input, attempt) => {
      const summary = await handler(input, lambdaContext(60_000));
      if (input.shard.index === 1 && attempt === 1) throw new Error('Sandbox.Timedout');
      return summary;
    });
    expect(shardCalls.filter((c) => c.index === 1).map((c) => c.attempt)).toEqual([1, 2]);
    expect(output.aggregate).toMatchObject({
      suite: 'fleet',
      // A check cut off by its own deadline is `unknown` (SPEC.md): it ran and got no answer.
      status: 'unknown',
      checks,
      failed: hanging.length,
      skipped: 0,
      missingShards: [],
    });

    const states = await store.getStates(checkIds);
    expect(states.size).toBe(checks);
    const statuses = new Map<string, number>();
    for (const state of states.values()) {
      const status = state.lastResult?.status ?? 'none';
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    // The hanging ones ran to their own 5 s deadline, the rest answered: not one "stopped
    // before finishing" (the run's budget), not one skipped.
    expect(Object.fromEntries(statuses)).toEqual({
      ok: checks - hanging.length,
      unknown: hanging.length,
    });
    for (const id of hanging) {
      // Cut off by its own deadline (the plugin's message or the engine's), never by the run.
      expect(states.get(id)?.lastResult?.summary).toMatch(/timed out after 5s/);
      expect(states.get(id)?.appliedSlots).toEqual([
        expect.stringContaining('2026-12-01T02:00:00'),
      ]);
    }
    expect([...states.values()].filter((s) => s.skipped)).toEqual([]);

    // The suite's 200 new failures share one cause: one grouped notification for the whole
    // suite (not one per shard, not one per check), sent once though shard 1 ran twice.
    const published = sns.commandCalls(PublishCommand);
    expect(published).toHaveLength(1);
    const grouped = published[0]?.args[0].input;
    expect(grouped?.Subject).toMatch(/200 checks failing: timed out after 5s/);
    // Every member is listed in the one message, worst first.
    for (const id of hanging) expect(grouped?.Message).toContain(id);
    // The watchdog's record: the suite completed this slot.
    expect((await suiteRuns.getSuiteRuns(['fleet'])).get('fleet')).toMatchObject({
      lastScheduledTime: '2026-12-01T02:00:00.000Z',
      lastStatus: 'unknown',
    });
  }, 120_000);

  it('a second execution of the same slot alerts nothing again', async () => {
    sns.resetHistory();
    await execute('2026-12-01T02:00:00Z');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  }, 120_000);

  it('a shard that fails after its retries changes no alert state: its checks are skipped', async () => {
    sns.resetHistory();
    const failing = 2;
    const config = parseConfigText(yaml, { env: {} });
    const members = shardsOf(selectChecks(config, { suites: ['fleet'] }).checks, shardCount)[
      failing - 1
    ]?.map((c) => c.id);
    const before = await store.getStates(members ?? []);
    // Past the map's tolerance locally (the local engine fails the map on any failed child):
    // the Catch still runs the aggregation, then the execution fails, which alarms on AWS.
    await expect(
      execute('2026-12-01T02:15:00Z', async (input) => {
        if (input.shard.index === failing) throw new Error('Runtime.ExitError');
        return handler(input, lambdaContext(60_000));
      }),
    ).rejects.toThrow(/More shards failed than the map tolerates/);
    const after = await store.getStates(members ?? []);
    expect(members?.length).toBeGreaterThan(0);
    for (const id of members ?? []) {
      // Same last result and slot as before: not `unknown`, not a new run of the check.
      expect(after.get(id)?.lastResult).toEqual(before.get(id)?.lastResult);
      expect(after.get(id)?.alert).toEqual(before.get(id)?.alert);
      expect(after.get(id)?.skipped?.reason).toMatch(/shard 2\/\d+ did not finish/);
    }
    // The other shards' checks were run and applied for the new slot.
    const others = checkIds.filter((id) => !members?.includes(id)).slice(0, 50);
    const applied = await store.getStates(others);
    for (const id of others) {
      expect(applied.get(id)?.appliedSlots).toEqual(
        expect.arrayContaining([expect.stringContaining('2026-12-01T02:15:00')]),
      );
    }
    // Still failing checks were already alerted; nothing new, and nothing for the skipped ones.
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  }, 120_000);
});
