import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  DistributedMap,
  Fail,
  JsonPath,
  LogLevel,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** The Distributed Map's label: it names the child executions' metrics (`<machine ARN>/<label>`). */
export const shardMapLabel = 'Shards';

export const defaultShardConcurrency = 10;

/** State names, which the local state-machine test binds to the runner handler. */
export const shardedRunStates = {
  map: 'Run shards',
  shard: 'Run shard',
  aggregate: 'Alert once for the suite',
  failed: 'Shards failed',
  done: 'Suite run complete',
} as const;

/** Attempts of a shard task and of the aggregation task: the first and two retries. */
export const shardTaskAttempts = 3;

/**
 * The longest a sharded run can take: waves of `maxConcurrency` shards, each shard up to its
 * attempts at the runner's timeout, then the aggregation's attempts. The state machine's timeout
 * and the watchdog's allowance for a late run follow it.
 */
export function shardedRunMaxDuration(
  shardCount: number,
  maxConcurrency: number,
  runnerTimeout: Duration,
): Duration {
  const waves = Math.ceil(shardCount / Math.max(1, maxConcurrency));
  // Plus the retries' backoff (5 + 10 s, 10 + 20 s), rounded up to a minute per wave.
  const attemptsMs = (waves + 1) * shardTaskAttempts * runnerTimeout.toMilliseconds();
  return Duration.millis(attemptsMs + (waves + 1) * 60_000);
}

export interface ShardedSuiteRunsProps {
  readonly runner: IFunction;
  /** The runner's timeout: a shard task can never take longer, so each child is bounded by it. */
  readonly runnerTimeout: Duration;
  readonly logRetention: RetentionDays;
  /** The most shards any sharded suite has: sizes the execution timeout. */
  readonly maxShardCount: number;
  /**
   * Shards running at once, per execution: protects the targets (each shard runs up to
   * `defaults.concurrency` checks) and the account's Lambda concurrency.
   * @default 10
   */
  readonly maxConcurrency?: number;
  /**
   * Percentage of shards that may fail (after their retries) before the map run fails. Either
   * way the aggregation step alerts on every shard that finished; past the tolerance the
   * execution then fails too, which alarms.
   * @default 25
   */
  readonly toleratedFailurePercentage?: number;
}

/**
 * The state machine for suites too large for one invocation (lib/shard/plan-shards.ts): a
 * Distributed Map over the shard indexes in the input, each child invoking the runner in shard
 * mode (results stored, nothing alerted), then one aggregation task that alerts once for the
 * whole suite. Input, from the suite's schedule: `{suite, scheduledTime, shardCount, shards}`.
 *
 * A map run that fails past its tolerance is caught so the aggregation still alerts on the
 * shards that finished; the execution then ends in a Fail state (the failed-executions alarm).
 */
export class ShardedSuiteRuns extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;
  /** The execution timeout: the longest a sharded run can take (`shardedRunMaxDuration`). */
  readonly stateMachineTimeout: Duration;

  constructor(scope: Construct, id: string, props: ShardedSuiteRunsProps) {
    super(scope, id);
    const shard = new LambdaInvoke(this, 'Shard', {
      stateName: shardedRunStates.shard,
      lambdaFunction: props.runner,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
    });
    shard.addRetry({
      errors: ['States.ALL'],
      maxAttempts: shardTaskAttempts - 1,
      interval: Duration.seconds(5),
      backoffRate: 2,
    });
    const map = new DistributedMap(this, 'Map', {
      stateName: shardedRunStates.map,
      label: shardMapLabel,
      itemsPath: JsonPath.stringAt('$.shards'),
      itemSelector: {
        mode: 'shard',
        suite: JsonPath.stringAt('$.suite'),
        scheduledTime: JsonPath.stringAt('$.scheduledTime'),
        shard: {
          index: JsonPath.numberAt('$$.Map.Item.Value'),
          count: JsonPath.numberAt('$.shardCount'),
        },
      },
      maxConcurrency: props.maxConcurrency ?? defaultShardConcurrency,
      toleratedFailurePercentage: props.toleratedFailurePercentage ?? 25,
      mapExecutionType: StateMachineType.STANDARD,
      // The results are in the table; the shards' summaries would only fill the 256 KB state.
      resultPath: JsonPath.DISCARD,
    });
    map.itemProcessor(shard);
    const aggregate = new LambdaInvoke(this, 'Aggregate', {
      stateName: shardedRunStates.aggregate,
      lambdaFunction: props.runner,
      payloadResponseOnly: true,
      payload: TaskInput.fromObject({
        mode: 'aggregate',
        suite: JsonPath.stringAt('$.suite'),
        scheduledTime: JsonPath.stringAt('$.scheduledTime'),
        shardCount: JsonPath.numberAt('$.shardCount'),
      }),
      resultPath: '$.aggregate',
    });
    aggregate.addRetry({
      errors: ['States.ALL'],
      maxAttempts: shardTaskAttempts - 1,
      interval: Duration.seconds(10),
      backoffRate: 2,
    });
    map.addCatch(aggregate, { errors: ['States.ALL'], resultPath: '$.mapError' });
    const outcome = new Choice(this, 'MapFailed?', { stateName: 'Did the map run fail?' })
      .when(
        Condition.isPresent('$.mapError'),
        new Fail(this, 'Failed', {
          stateName: shardedRunStates.failed,
          error: 'ShardsFailed',
          cause: 'More shards failed than the map tolerates; the suite was alerted on the rest',
        }),
      )
      .otherwise(new Succeed(this, 'Done', { stateName: shardedRunStates.done }));
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    this.stateMachineTimeout = shardedRunMaxDuration(
      props.maxShardCount,
      props.maxConcurrency ?? defaultShardConcurrency,
      props.runnerTimeout,
    );
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      comment:
        'One run of a sharded health check suite: shards in parallel, then one alerting step',
      definitionBody: DefinitionBody.fromChainable(map.next(aggregate).next(outcome)),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
      timeout: this.stateMachineTimeout,
    });
  }
}
