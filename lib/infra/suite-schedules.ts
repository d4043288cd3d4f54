import { type Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { PrincipalWithConditions, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
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

export interface SuitePlan {
  readonly id: string;
  readonly schedule: string;
}

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
