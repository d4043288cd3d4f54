import { Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  ComparisonOperator,
  type IAlarm,
  type Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type OpsAlarmProps, opsAlarm } from './ops-alarm.ts';

export interface CheckerAlarmsProps {
  /** Prefixes every alarm name, so two stages in one account are told apart. */
  readonly stage: string;
  /** The ops topic (ops-topic.ts): apart from the alert topic, so an alert storm cannot mute it. */
  readonly opsTopic: ITopic;
  readonly runner: IFunction;
  readonly runnerTimeout: Duration;
  readonly watchdog: IFunction;
  /** How often the watchdog runs; it is "silent" after two periods without an invocation. */
  readonly watchdogPeriod: Duration;
  readonly scheduleDeadLetterQueue: IQueue;
  readonly failureQueue: IQueue;
}

/**
 * Watching the watcher: alarms on the checker itself, all notifying the ops topic, which emails
 * them and can page (its HTTPS subscription). Overdue suites
 * are the watchdog function's job (it alerts through the normal alert path, see
 * functions/watchdog); these alarms cover the functions, the queues and the watchdog itself.
 */
export class CheckerAlarms extends Construct {
  readonly alarms: IAlarm[] = [];

  constructor(scope: Construct, id: string, props: CheckerAlarmsProps) {
    super(scope, id);
    const add = (
      metric: Metric,
      alarmId: string,
      name: string,
      options: Omit<OpsAlarmProps, 'stage' | 'name' | 'topic'>,
    ): Alarm => {
      const alarm = opsAlarm(this, alarmId, metric, {
        ...options,
        stage: props.stage,
        name,
        topic: props.opsTopic,
      });
      this.alarms.push(alarm);
      return alarm;
    };
    add(props.runner.metricErrors({ statistic: 'Sum' }), 'RunnerErrors', 'runner-errors', {
      description: `The health check runner failed (a suite run crashed).`,
    });
    add(props.runner.metricThrottles({ statistic: 'Sum' }), 'RunnerThrottles', 'runner-throttles', {
      description: `The health check runner was throttled (concurrency limit).`,
    });
    const nearTimeoutMs = Math.floor(props.runnerTimeout.toMilliseconds() * 0.9);
    add(
      props.runner.metricDuration({ statistic: 'Maximum' }),
      'RunnerNearTimeout',
      'runner-near-timeout',
      {
        threshold: nearTimeoutMs,
        description: `A suite run took over 90% of the runner's timeout (${nearTimeoutMs} ms): it is timing out or about to.`,
      },
    );
    add(
      props.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
      }),
      'ScheduleDeadLetters',
      'schedule-dead-letters',
      {
        description: `EventBridge Scheduler could not deliver a scheduled run: see the schedule DLQ.`,
      },
    );
    add(
      props.failureQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' }),
      'FunctionFailures',
      'function-failures',
      {
        description: `A runner or watchdog invocation failed: see the failure queue.`,
      },
    );
    add(props.watchdog.metricErrors({ statistic: 'Sum' }), 'WatchdogErrors', 'watchdog-errors', {
      description: `The suite watchdog failed: overdue suites may go unnoticed.`,
    });
    // A watchdog that stops being invoked leaves no datapoints at all. Missing data keeps the
    // alarm's state, so it starts (and stays, until the first run) in INSUFFICIENT_DATA without
    // notifying; after that, two periods without an invocation move it back there, and that
    // transition is what notifies. A fresh deploy is therefore never in alarm.
    const silent = add(
      props.watchdog.metricInvocations({
        statistic: 'Sum',
        period: Duration.seconds(Math.max(300, props.watchdogPeriod.toSeconds())),
      }),
      'WatchdogSilent',
      'watchdog-silent',
      {
        threshold: 1,
        evaluationPeriods: 2,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.MISSING,
        description: `The suite watchdog has not run for two of its periods: check its schedule.`,
      },
    );
    silent.addInsufficientDataAction(new SnsAction(props.opsTopic));
  }
}
