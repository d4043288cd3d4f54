import {
  type Alarm,
  ComparisonOperator,
  type CreateAlarmOptions,
  type MathExpression,
  type Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** Alarms when the metric reaches 1 in one period; no data is "nothing went wrong". */
export const atLeastOnce = {
  threshold: 1,
  evaluationPeriods: 1,
  comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  treatMissingData: TreatMissingData.NOT_BREACHING,
} as const;

export interface OpsAlarmProps
  extends Partial<Omit<CreateAlarmOptions, 'alarmName' | 'alarmDescription'>> {
  /** Prefixes the alarm's name and description, so two stages in one account are told apart. */
  readonly stage: string;
  /** Named `<stage>-healthcheck-<name>`. */
  readonly name: string;
  /** What went wrong and where to look, for whoever the alarm wakes. */
  readonly description: string;
  /** Where it notifies: the ops topic (ops-topic.ts), apart from the alert email. */
  readonly topic: ITopic;
}

/**
 * One of the checker's own alarms: the same naming, description prefix and ops-topic action for
 * the runner, queue, watchdog, delivery and sharded-run alarms. @default at least once in one period
 */
export function opsAlarm(
  scope: Construct,
  id: string,
  metric: Metric | MathExpression,
  props: OpsAlarmProps,
): Alarm {
  const { stage, name, description, topic, ...options } = props;
  const alarm = metric.createAlarm(scope, id, {
    ...atLeastOnce,
    ...options,
    alarmName: `${stage}-healthcheck-${name}`,
    alarmDescription: `[${stage}] ${description}`,
  });
  alarm.addAlarmAction(new SnsAction(topic));
  return alarm;
}
