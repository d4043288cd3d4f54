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

/** Resource "*": X-Ray always; in a VPC also the two EC2 Describe actions. */
export function xrayNeedsWildcard(inVpc: boolean): NagAcknowledgement {
  return {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: inVpc
      ? 'Resource "*" is used only by xray:PutTraceSegments and xray:PutTelemetryRecords (X-Ray ' +
        'supports no resource-level permissions) and by ec2:DescribeNetworkInterfaces and ' +
        'ec2:DescribeSubnets, which Lambda needs to attach the function to the VPC and which ' +
        'AWS documents as working only on Resource "*".'
      : 'Resource "*" is used only by xray:PutTraceSegments and xray:PutTelemetryRecords: X-Ray ' +
        'supports no resource-level permissions.',
  };
}

export const vpcInterfaceWildcards: NagAcknowledgement = {
  id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:*/*]',
  reason:
    "Lambda creates, deletes and assigns addresses to the function's network interfaces in the " +
    'subnets and security groups it is placed in; their ids do not exist before the deploy, so ' +
    "these ENI actions are limited to this account and region's EC2 resources, the scope " +
    "Lambda's documentation gives for ec2:DeleteNetworkInterface (instead of the managed " +
    'AWSLambdaVPCAccessExecutionRole, which also grants logs on every log group).',
};

export function schedulerInvokeVersions(functionArnToken: string): NagAcknowledgement {
  return {
    id: `AwsSolutions-IAM5[Resource::${functionArnToken}:*]`,
    reason:
      "CDK's Scheduler target grants lambda:InvokeFunction on the function and `<its ARN>:*`: the " +
      'wildcard covers only versions and aliases of that one function (the runner or the watchdog).',
  };
}

/** X-Ray and CloudWatch Logs delivery: the state machine's role needs Resource "*" for both. */
export const stateMachineTelemetryWildcards: NagAcknowledgement = {
  id: 'AwsSolutions-IAM5[Resource::*]',
  reason:
    'Resource "*" on the sharded-runs state machine role is used only by X-Ray (xray:PutTraceSegments, ' +
    'PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) and by CloudWatch Logs delivery ' +
    '(logs:CreateLogDelivery and related), neither of which supports resource-level permissions.',
};

/**
 * A Distributed Map starts, describes, stops and redrives child executions of its own state
 * machine; their names are generated at run time, so the ARNs end in a wildcard.
 */
export function distributedMapExecutions(executionArnPattern: string): NagAcknowledgement {
  return {
    id: `AwsSolutions-IAM5[Resource::${executionArnPattern}]`,
    reason:
      "The Distributed Map's child executions (and the machine's own executions, which it " +
      "describes and stops) get names at run time: the wildcard covers only this state machine's executions.",
  };
}

export function backupObjectsRead(grant: {
  readonly bucket: string;
  readonly prefix: string;
}): NagAcknowledgement {
  const pattern = `${grant.bucket}/${grant.prefix}*`;
  return {
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${pattern}]`,
    reason:
      `A backup check looks up dated object names under s3://${grant.bucket}/${grant.prefix} ` +
      '(a new name every day), so s3:GetObject is granted, read-only, on the objects under that ' +
      "fixed prefix of the config's location and nothing else in the bucket.",
  };
}

export function acknowledge(scope: IConstruct, ...acks: readonly NagAcknowledgement[]): void {
  for (const ack of acks) Validations.of(scope).acknowledge(ack);
}
