import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

/**
 * The alert topic: state changes from the runner and the stack's own alarms. Encrypted with the
 * stack's key, HTTPS-only. Email subscribers get every severity; PagerDuty is paged by the runner
 * from its outbox, never through this topic.
 */
export function createAlertTopic(scope: Construct, key: IKey, emails: readonly string[]): Topic {
  const stack = Stack.of(scope);
  const topic = new Topic(scope, 'AlertTopic', {
    displayName: 'Health check alerts',
    masterKey: key,
    enforceSSL: true,
  });
  // The topic policy replaces SNS's default one, so CloudWatch alarms need an explicit grant.
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowCloudWatchAlarms',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
  for (const email of emails) topic.addSubscription(new EmailSubscription(email));
  return topic;
}
