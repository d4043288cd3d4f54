import { type Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { PrincipalWithConditions, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface SuitePlan {
  readonly id: string;
  readonly schedule: string;
  /**
   * Shards of a suite too large for one invocation: its schedule starts `shardedRuns` instead of
   * invoking the runner.
   * @default 1
   */
  readonly shardCount?: number;
}

export interface SuiteSchedulesProps {
  readonly suites: readonly SuitePlan[];
  readonly timezone: string;
  readonly runner: IFunction;
  readonly deadLetterQueue: IQueue;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
  readonly enabled: boolean;
  /** The state machine sharded suites start (lib/infra/sharded-suite-runs.ts). */
  readonly shardedRuns?: IStateMachine;
}

/** The payload the runner receives: which suite, and the scheduled time (the idempotency key). */
export function scheduledRunInput(suite: string): ScheduleTargetInput {
  return ScheduleTargetInput.fromObject({ suite, scheduledTime: ContextAttribute.scheduledTime });
}

/**
 * A sharded suite's execution input: the suite, the scheduled time, and the shard indexes the
 * Distributed Map iterates (1-based, as the runner's shard mode and `run --shard` count them).
 */
export function shardedRunInput(suite: string, shardCount: number): ScheduleTargetInput {
  return ScheduleTargetInput.fromObject({
    suite,
    scheduledTime: ContextAttribute.scheduledTime,
    shardCount,
    shards: Array.from({ length: shardCount }, (_, i) => i + 1),
  });
}

/**
 * One EventBridge Scheduler schedule per suite, in the config's time zone (EventBridge rules are
 * UTC-only). One role for all of them (and the watchdog's), allowed to invoke the functions and
 * feed the DLQ, nothing else, and assumable by Scheduler on behalf of this account only.
 */
export class SuiteSchedules extends Construct {
  readonly role: Role;
  readonly schedules: ReadonlyMap<string, Schedule>;

  constructor(scope: Construct, id: string, props: SuiteSchedulesProps) {
    super(scope, id);
    this.role = new Role(this, 'SchedulerRole', {
      // aws:SourceAccount: no other account's schedule can make Scheduler assume this role.
      assumedBy: new PrincipalWithConditions(new ServicePrincipal('scheduler.amazonaws.com'), {
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      }),
      description: 'EventBridge Scheduler: invoke the health check runner and watchdog',
    });
    const timeZone = TimeZone.of(props.timezone);
    const schedules = new Map<string, Schedule>();
    for (const suite of props.suites) {
      schedules.set(
        suite.id,
        new Schedule(this, `Suite-${suite.id}`, {
          description: `Health check suite "${suite.id}": ${suite.schedule} ${props.timezone}`,
          schedule: ScheduleExpression.expression(suite.schedule, timeZone),
          enabled: props.enabled,
          target: this.targetFor(suite, props),
        }),
      );
    }
    this.schedules = schedules;
  }

  private targetFor(suite: SuitePlan, props: SuiteSchedulesProps) {
    const delivery = {
      role: this.role,
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
    };
    const shards = suite.shardCount ?? 1;
    if (shards <= 1) {
      return new LambdaInvoke(props.runner, { ...delivery, input: scheduledRunInput(suite.id) });
    }
    if (!props.shardedRuns) {
      throw new Error(`suite ${suite.id} has ${shards} shards but no state machine to start`);
    }
    // A redelivered start makes a second execution for the same slot: its shards overwrite the
    // same results and its aggregation finds the slot applied, so nobody is alerted twice.
    return new StepFunctionsStartExecution(props.shardedRuns, {
      ...delivery,
      input: shardedRunInput(suite.id, shards),
    });
  }
}
