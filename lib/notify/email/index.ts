import { join } from 'node:path';
import { z } from 'zod';
import { defineNotifier } from '../plugin.ts';

export const EmailSchema = z
  .array(z.email())
  .default([])
  .describe('Addresses that get every alert (SNS email subscriptions when deployed)');

/**
 * Email: on AWS, publishing to the alert topic (its email subscriptions; other subscribers get
 * the notification JSON); locally, printed and appended to `<state dir>/outbox.jsonl`.
 */
export const emailNotifier = defineNotifier({
  name: 'email',
  description: 'Email to notifications.email (SNS topic when deployed, printed locally)',
  awsChannel: 'sns',
  configKey: 'email',
  schema: EmailSchema,
  async create(recipients, runtime) {
    if (runtime.target === 'aws') {
      const { SnsNotifier } = await import('../sns-notifier.ts');
      return new SnsNotifier({ client: runtime.sns, topicArn: runtime.topicArn });
    }
    const { LocalEmailNotifier } = await import('../local-email-notifier.ts');
    return new LocalEmailNotifier({
      outboxFile: join(runtime.stateDir, 'outbox.jsonl'),
      recipients,
      print: runtime.print,
    });
  },
  grants: () => [{ kind: 'alert-topic-publish' }],
});
