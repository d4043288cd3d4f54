import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { EmailRecipient } from '../notify/email/recipients.ts';
import { severityAttribute } from '../notify/sns-notifier.ts';

/**
 * The alert topic: state changes from the runner. Encrypted with the stack's key, HTTPS-only.
 * Each email subscription gets every severity, or the ones its `notifications.email` entry names
 * (a filter policy on the message's `severity` attribute; a run's digest carries its most urgent
 * severity, so a P1-only address gets the digests that hold a P1). PagerDuty is paged by the runner from its outbox, never
 * through this topic. The checker's own alarms go to the ops topic (ops-topic.ts), so an alert
 * storm cannot silence them.
 */
export function createAlertTopic(
  scope: Construct,
  key: IKey,
  emails: readonly EmailRecipient[],
): Topic {
  const topic = new Topic(scope, 'AlertTopic', {
    displayName: 'Health check alerts',
    masterKey: key,
    enforceSSL: true,
  });
  for (const { address, severities } of emails) {
    topic.addSubscription(
      new EmailSubscription(
        address,
        severities
          ? {
              filterPolicy: {
                [severityAttribute]: SubscriptionFilter.stringFilter({
                  allowlist: [...severities],
                }),
              },
            }
          : {},
      ),
    );
  }
  return topic;
}
