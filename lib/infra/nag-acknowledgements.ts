import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag (AwsSolutions) findings this design accepts, each with its reason. Acknowledged on the
 * narrowest construct that causes them, so the same finding anywhere else still fails synth.
 */
export interface NagAcknowledgement {
  readonly id: string;
  readonly reason: string;
}

export const queueIsADeadLetterQueue: NagAcknowledgement = {
  id: 'AwsSolutions-SQS3',
  reason:
    'This queue is itself a dead-letter queue (for EventBridge Scheduler or Lambda async ' +
    'failures); cdk-nag only recognises DLQs wired through SQS redrive.',
};

export const xrayNeedsWildcard: NagAcknowledgement = {
  id: 'AwsSolutions-IAM5[Resource::*]',
  reason:
    'Only the X-Ray actions (xray:PutTraceSegments, xray:PutTelemetryRecords) use Resource "*": ' +
    'X-Ray supports no resource-level permissions.',
};

export const kmsGrantActions: readonly NagAcknowledgement[] = [
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
].map((action) => ({
  id: `AwsSolutions-IAM5[Action::${action}]`,
  reason:
    `${action} comes from CDK's grant for the results table and alert topic, limited to this ` +
    "stack's one customer-managed key; DynamoDB and SNS need the data-key variants it covers.",
}));

export function schedulerInvokeVersions(runnerArnToken: string): NagAcknowledgement {
  return {
    id: `AwsSolutions-IAM5[Resource::${runnerArnToken}:*]`,
    reason:
      'The scheduler role may invoke the runner function and its versions/aliases ' +
      '(`<runner ARN>:*`), nothing else: the wildcard only covers qualifiers of that one function.',
  };
}

export function backupObjectsRead(bucket: string): NagAcknowledgement {
  return {
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${bucket}/*]`,
    reason:
      `Backup checks look up dated object names under s3://${bucket}/ (names change daily), so ` +
      's3:GetObject is granted on the objects of that one bucket, read-only.',
  };
}

export function acknowledge(scope: IConstruct, ...acks: readonly NagAcknowledgement[]): void {
  for (const ack of acks) Validations.of(scope).acknowledge(ack);
}
