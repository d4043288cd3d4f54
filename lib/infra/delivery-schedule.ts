import { Duration, Stack } from 'aws-cdk-lib';
import { type Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { PrincipalWithConditions, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { opsAlarm } from './ops-alarm.ts';
import {
  dimensionNames,
  metricNames,
  metricNamespace,
  runnerServiceName,
} from './telemetry-names.ts';

/** The runner's delivery pass (functions/runner/delivery-event.ts). */
export const deliveryPassInput = { deliver: 'pending' } as const;

export interface NotificationDeliveryProps {
  /** The deployment's stage: the alarm names and the metric's `stage` dimension carry it. */
  readonly stage: string;
  readonly runner: IFunction;
  /** Where the "notifications refused" alarms go: the ops topic, not the alerts' own topic. */
  readonly opsTopic: ITopic;
  /** Channels whose permanent refusals are alarmed, e.g. ['pagerduty', 'sns']. */
  readonly channels: readonly string[];
  readonly deadLetterQueue: IQueue;
  /**
   * How often the runner delivers what waits in the outboxes (a PagerDuty outage's pages go out
   * this long after it ends, not at the suite's next run, which may be a month away).
   * @default Duration.minutes(5)
   */
  readonly every?: Duration;
  /** @default true */
  readonly enabled?: boolean;
}

/**
 * Durable notification delivery on AWS. Notifications live in the DynamoDB outbox of each check
 * (written in the same conditional write as the state change, coalesced so the latest truth per
 * incident and channel is what waits); the runner delivers them right after each run and again
 * on this schedule until every channel accepted. A permanent refusal (PagerDuty 4xx: a wrong or
 * rotated routing key) stays in the outbox as failed, shows in `healthcheck status` and raises
 * the "notifications refused" alarm; `healthcheck replay` (or the runner event
 * `{"deliver":"pending","replay":true}`) sends it again once fixed.
 */
export class NotificationDelivery extends Construct {
  readonly schedule: Schedule;
  readonly role: Role;
  readonly refusedAlarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: NotificationDeliveryProps) {
    super(scope, id);
    this.role = new Role(this, 'SchedulerRole', {
      // aws:SourceAccount: no other account's schedule can make Scheduler assume this role.
      assumedBy: new PrincipalWithConditions(new ServicePrincipal('scheduler.amazonaws.com'), {
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      }),
      description: 'EventBridge Scheduler: invoke the health check runner for delivery passes',
    });
    const every = props.every ?? Duration.minutes(5);
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Health check: deliver notifications still waiting in the outboxes',
      schedule: ScheduleExpression.rate(every),
      enabled: props.enabled ?? true,
      target: new LambdaInvoke(props.runner, {
        role: this.role,
        input: ScheduleTargetInput.fromObject(deliveryPassInput),
        deadLetterQueue: props.deadLetterQueue,
        // The next pass comes soon anyway: do not pile up retries of an old one.
        retryAttempts: 0,
        maxEventAge: Duration.minutes(Math.max(1, every.toMinutes())),
      }),
    });
    for (const channel of props.channels) {
      const refused = new Metric({
        namespace: metricNamespace,
        metricName: metricNames.notificationsRefused,
        dimensionsMap: {
          service: runnerServiceName,
          [dimensionNames.stage]: props.stage,
          [dimensionNames.channel]: channel,
        },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
      const alarm = opsAlarm(this, `Refused-${channel}`, refused, {
        stage: props.stage,
        name: `notifications-refused-${channel}`,
        description: `${channel} refused notifications for good (e.g. PagerDuty 4xx: a wrong or rotated routing key). They are kept as failed: see healthcheck status, fix, then healthcheck replay.`,
        topic: props.opsTopic,
      });
      this.refusedAlarms.push(alarm);
    }
  }
}
