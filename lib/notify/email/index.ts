import { join } from 'node:path';
import * as z from 'zod';
import { defineNotifier } from '../plugin.ts';
import { EmailRecipientSchema, emailRecipients } from './recipients.ts';

/** The local email outbox: every "sent" email, one JSON line each. */
export function localEmailOutboxFile(stateDir: string): string {
  return join(stateDir, 'outbox.jsonl');
}

export const EmailSchema = z
  .array(EmailRecipientSchema)
  .default([])
  .describe(
    'Who gets alert emails: an address (every severity) or {address, severities} (SNS email subscriptions with a severity filter when deployed)',
  );

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
      return new SnsNotifier({
        client: runtime.sns,
        topicArn: runtime.topicArn,
        timeZone: runtime.timeZone,
        // A publish still waiting for its turn at the invocation's delivery deadline stays queued.
        ...(runtime.deliveryDeadline ? { deadline: runtime.deliveryDeadline } : {}),
      });
    }
    const { LocalEmailNotifier } = await import('../local-email-notifier.ts');
    return new LocalEmailNotifier({
      outboxFile: localEmailOutboxFile(runtime.stateDir),
      recipients: emailRecipients(recipients),
      timeZone: runtime.timeZone,
      print: runtime.print,
    });
  },
  grants: () => [{ kind: 'alert-topic-publish' }],
});
