import { type Duration, TimeZone } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SuitePlan } from './config-facts.ts';

export interface SuiteSchedulesProps {
  readonly suites: readonly SuitePlan[];
  readonly timezone: string;
  readonly runner: IFunction;
  readonly deadLetterQueue: IQueue;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
  readonly enabled: boolean;
}

/** The payload the runner receives: which suite, and the scheduled time (the idempotency key). */
export function scheduledRunInput(suite: string): ScheduleTargetInput {
  return ScheduleTargetInput.fromObject({ suite, scheduledTime: ContextAttribute.scheduledTime });
}

/**
 * One EventBridge Scheduler schedule per suite, in the config's time zone (EventBridge rules are
 * UTC-only). One role for all of them, allowed to invoke the runner and feed the DLQ, nothing else.
 */
export class SuiteSchedules extends Construct {
  readonly role: Role;
  readonly schedules: ReadonlyMap<string, Schedule>;

  constructor(scope: Construct, id: string, props: SuiteSchedulesProps) {
    super(scope, id);
    this.role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'EventBridge Scheduler: invoke the health check runner',
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
          target: new LambdaInvoke(props.runner, {
            role: this.role,
            input: scheduledRunInput(suite.id),
            deadLetterQueue: props.deadLetterQueue,
            retryAttempts: props.retryAttempts,
            maxEventAge: props.maxEventAge,
          }),
        }),
      );
    }
    this.schedules = schedules;
  }
}
