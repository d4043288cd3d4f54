import { Duration } from 'aws-cdk-lib';
import { type IAlarm, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { opsAlarm } from './ops-alarm.ts';

export interface ShardedRunAlarmsProps {
  /** Prefixes every alarm name, so two stages in one account are told apart. */
  readonly stage: string;
  /** Where the alarms notify: the stack's alarm (ops) topic. */
  readonly topic: ITopic;
  readonly stateMachine: StateMachine;
  /** The Distributed Map's label: its child executions report under `<machine ARN>/<label>`. */
  readonly mapLabel: string;
}

/**
 * Alarms on sharded suite runs: an execution that failed, timed out or was aborted (the suite
 * was not fully alerted, or past the map's tolerance), and any shard that failed after its
 * retries (its checks were skipped this run). Kept apart from CheckerAlarms so the topic is a
 * parameter: whichever topic the stack's own alarms use.
 */
export class ShardedRunAlarms extends Construct {
  readonly alarms: IAlarm[] = [];

  constructor(scope: Construct, id: string, props: ShardedRunAlarmsProps) {
    super(scope, id);
    const add = (alarmId: string, name: string, metric: MathExpression, description: string) => {
      this.alarms.push(
        opsAlarm(this, alarmId, metric, {
          stage: props.stage,
          name,
          description,
          topic: props.topic,
        }),
      );
    };
    const period = Duration.minutes(5);
    const machine = props.stateMachine;
    add(
      'ExecutionsFailed',
      'sharded-run-failed',
      new MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: machine.metricFailed({ statistic: 'Sum', period }),
          timedOut: machine.metricTimedOut({ statistic: 'Sum', period }),
          aborted: machine.metricAborted({ statistic: 'Sum', period }),
        },
        period,
        label: 'Sharded suite runs failed',
      }),
      'A sharded suite run failed, timed out or was aborted: see the state machine executions.',
    );
    const children = (metricName: string) =>
      new Metric({
        namespace: 'AWS/States',
        metricName,
        dimensionsMap: { StateMachineArn: `${machine.stateMachineArn}/${props.mapLabel}` },
        statistic: 'Sum',
        period,
      });
    add(
      'ShardsFailed',
      'shards-failed',
      new MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: children('ExecutionsFailed'),
          timedOut: children('ExecutionsTimedOut'),
          aborted: children('ExecutionsAborted'),
        },
        period,
        label: 'Shards failed after retries',
      }),
      "A shard of a sharded suite failed after its retries: its checks were not run this time (they count as skipped, not unknown); see the map run's failed child executions.",
    );
  }
}
