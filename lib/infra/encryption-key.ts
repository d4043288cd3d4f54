import { type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/**
 * The customer-managed key for the alert topic and the results table. A customer-managed key
 * (not aws/sns) is required because CloudWatch alarms cannot publish to a topic encrypted with
 * the AWS-managed SNS key; the key policy lets CloudWatch use it for this account's alarms only.
 */
export function createEncryptionKey(scope: Construct, removalPolicy: RemovalPolicy): Key {
  const stack = Stack.of(scope);
  const key = new Key(scope, 'EncryptionKey', {
    description: 'Health checker: alert topic and results table',
    enableKeyRotation: true,
    removalPolicy,
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublishEncrypted',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
  );
  return key;
}
