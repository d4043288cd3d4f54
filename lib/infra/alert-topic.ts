import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

/**
 * The alert topic: state changes from the runner. Encrypted with the stack's key, HTTPS-only.
 * Email subscribers get every severity; PagerDuty is paged by the runner from its outbox, never
 * through this topic. The checker's own alarms go to the ops topic (ops-topic.ts), so an alert
 * storm cannot silence them.
 */
export function createAlertTopic(scope: Construct, key: IKey, emails: readonly string[]): Topic {
  const topic = new Topic(scope, 'AlertTopic', {
    displayName: 'Health check alerts',
    masterKey: key,
    enforceSSL: true,
  });
  for (const email of emails) topic.addSubscription(new EmailSubscription(email));
  return topic;
}
