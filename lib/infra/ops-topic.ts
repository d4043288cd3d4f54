import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterOrPolicy, SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import * as z from 'zod';

export interface OpsTopicProps {
  /** Addresses that get the checker's own alarms. @default - none */
  readonly emails?: readonly string[];
  /**
   * An HTTPS endpoint that pages on CloudWatch alarm notifications, e.g. PagerDuty's Amazon
   * CloudWatch integration URL. It gets only the alarms' notifications, never the watchdog's
   * alert JSON (which pages through the config's PagerDuty channel instead). @default - none
   */
  readonly pagerUrl?: string;
}

/**
 * The ops topic: the checker's own alarms (runner errors and throttles, near-timeouts, dead
 * letters, a silent watchdog, refused notifications) and the watchdog's missed-run alerts. Kept
 * apart from the alert topic on purpose: SNS suspends an email subscription that receives more
 * than 10 messages a second, so an alert storm must never silence the alarms that say the
 * checker itself is broken, and those may page when the alert emails would not.
 */
export function createOpsTopic(scope: Construct, key: IKey, props: OpsTopicProps = {}): Topic {
  const stack = Stack.of(scope);
  const topic = new Topic(scope, 'OpsTopic', {
    displayName: 'Health checker operations',
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
  for (const email of props.emails ?? []) topic.addSubscription(new EmailSubscription(email));
  if (props.pagerUrl) {
    topic.addSubscription(
      new UrlSubscription(props.pagerUrl, {
        // CloudWatch alarm notifications carry AlarmName; the watchdog's alert JSON does not.
        filterPolicyWithMessageBody: {
          AlarmName: FilterOrPolicy.filter(SubscriptionFilter.existsFilter()),
        },
      }),
    );
  }
  return topic;
}

/** A warning when nobody would hear of the checker's own alarms. */
export function opsTopicWarnings(props: OpsTopicProps): { id: string; message: string }[] {
  if ((props.emails ?? []).length > 0 || props.pagerUrl) return [];
  return [
    {
      id: 'healthcheck:opsTopicUnheard',
      message:
        "The ops topic has no subscriber (no notifications.email, opsEmails or opsPagerUrl): the checker's own alarms and missed runs reach nobody but the console",
    },
  ];
}

/** Problems with the ops topic's props, each naming its field (synth fails on them). */
export function opsTopicProblems(props: OpsTopicProps): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  (props.emails ?? []).forEach((email, i) => {
    if (!z.email().safeParse(email).success) {
      problems.push(`opsEmails[${i}]: "${email}" is not an email address`);
    }
    const first = seen.get(email.toLowerCase());
    if (first !== undefined) {
      problems.push(`opsEmails[${i}]: "${email}" is already opsEmails[${first}]`);
    } else {
      seen.set(email.toLowerCase(), i);
    }
  });
  if (props.pagerUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(props.pagerUrl);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'https:') {
      problems.push('opsPagerUrl: must be an https:// URL (SNS delivers alarms to it over HTTPS)');
    }
  }
  return problems;
}
