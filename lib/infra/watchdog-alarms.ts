import type { Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  ComparisonOperator,
  type IAlarm,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SuitePlan } from './config-facts.ts';
import { missedRunWindow } from './missed-run-alarm.ts';
import {
  dimensionNames,
  metricNames,
  metricNamespace,
  runnerServiceName,
} from './telemetry-names.ts';

export interface WatchdogAlarmsProps {
  readonly topic: ITopic;
  readonly runner: IFunction;
  readonly runnerTimeout: Duration;
  readonly scheduleDeadLetterQueue: IQueue;
  readonly failureQueue: IQueue;
  readonly suites: readonly SuitePlan[];
  readonly missedRunGrace: Duration;
}

/** The metric the runner emits once per completed suite run. */
export function suiteCompletedMetric(suite: string, period: Duration): Metric {
  return new Metric({
    namespace: metricNamespace,
    metricName: metricNames.suiteCompleted,
    dimensionsMap: { service: runnerServiceName, [dimensionNames.suite]: suite },
    statistic: 'Sum',
    period,
  });
}

/**
 * Watching the watcher: alarms on the checker itself, all notifying the alert topic, which
 * emails them (PagerDuty is paged by the runner's outbox, never by the topic).
 */
export class WatchdogAlarms extends Construct {
  readonly alarms: IAlarm[] = [];
  readonly missedRunAlarms = new Map<string, Alarm>();
  /** Suites whose schedule is too sparse (or one-shot) for a missing-data alarm. */
  readonly suitesWithoutMissedRunAlarm: string[] = [];

  constructor(scope: Construct, id: string, props: WatchdogAlarmsProps) {
    super(scope, id);
    const action = new SnsAction(props.topic);
    const add = (alarm: Alarm): Alarm => {
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
      return alarm;
    };
    const atLeastOne = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    };
    add(
      props.runner.metricErrors({ statistic: 'Sum' }).createAlarm(this, 'RunnerErrors', {
        ...atLeastOne,
        alarmDescription: 'The health check runner failed (a suite run crashed).',
      }),
    );
    add(
      props.runner.metricThrottles({ statistic: 'Sum' }).createAlarm(this, 'RunnerThrottles', {
        ...atLeastOne,
        alarmDescription: 'The health check runner was throttled (concurrency limit).',
      }),
    );
    const nearTimeoutMs = Math.floor(props.runnerTimeout.toMilliseconds() * 0.9);
    add(
      props.runner.metricDuration({ statistic: 'Maximum' }).createAlarm(this, 'RunnerNearTimeout', {
        ...atLeastOne,
        threshold: nearTimeoutMs,
        alarmDescription: `A suite run took over 90% of the runner's timeout (${nearTimeoutMs} ms): it is timing out or about to.`,
      }),
    );
    add(
      props.scheduleDeadLetterQueue
        .metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' })
        .createAlarm(this, 'ScheduleDeadLetters', {
          ...atLeastOne,
          alarmDescription:
            'EventBridge Scheduler could not deliver a scheduled suite run: see the schedule DLQ.',
        }),
    );
    add(
      props.failureQueue
        .metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' })
        .createAlarm(this, 'FunctionFailures', {
          ...atLeastOne,
          alarmDescription: 'A runner invocation failed: see the failure queue.',
        }),
    );
    const graceMinutes = props.missedRunGrace.toMinutes();
    for (const suite of props.suites) {
      const window = missedRunWindow(suite.longestGapMinutes, graceMinutes);
      if (!window) {
        this.suitesWithoutMissedRunAlarm.push(suite.id);
        continue;
      }
      const alarm = add(
        suiteCompletedMetric(suite.id, window.period).createAlarm(this, `MissedRun-${suite.id}`, {
          threshold: 1,
          evaluationPeriods: window.evaluationPeriods,
          datapointsToAlarm: window.evaluationPeriods,
          comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
          treatMissingData: TreatMissingData.BREACHING,
          alarmDescription: `Suite "${suite.id}" (${suite.schedule}) has not completed for longer than its schedule allows.`,
        }),
      );
      this.missedRunAlarms.set(suite.id, alarm);
    }
  }
}
