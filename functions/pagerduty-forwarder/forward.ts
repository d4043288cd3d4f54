import { AlertNotificationSchema } from '../../lib/alerting/notification-schema.ts';
import type { AlertLogger } from '../../lib/alerting/notifier.ts';
import { errorMessage } from '../../lib/core/errors.ts';
import type { PagerDutyClient } from '../../lib/notify/pagerduty-client.ts';
import { pagerDutyEventFor } from '../../lib/notify/pagerduty-event.ts';
import { SnsEventSchema } from './sns-event.ts';

export class ForwarderInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForwarderInputError';
  }
}

export interface ForwarderDeps {
  readonly client: PagerDutyClient;
  readonly routingKey: () => Promise<string>;
  readonly logger: AlertLogger;
}

export interface ForwardSummary {
  readonly sent: number;
  readonly rejected: number;
  readonly skipped: number;
}

/**
 * SNS alert topic -> PagerDuty Events API v2. Malformed messages and PagerDuty 400s are logged
 * and skipped (retrying cannot fix them); 429/5xx/network failures are retried by the client and
 * then thrown, so Lambda's async retries and the failure destination keep the alert.
 */
export function createForwarder(deps: ForwarderDeps) {
  return async (event: unknown): Promise<ForwardSummary> => {
    const parsed = SnsEventSchema.safeParse(event);
    if (!parsed.success) {
      throw new ForwarderInputError(
        `not an SNS event: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    let sent = 0;
    let rejected = 0;
    let skipped = 0;
    for (const record of parsed.data.Records) {
      let json: unknown;
      try {
        json = JSON.parse(record.Sns.Message);
      } catch {
        json = undefined;
      }
      const notification = AlertNotificationSchema.safeParse(json);
      if (!notification.success) {
        skipped++;
        deps.logger.error('skipping an SNS message that is not a healthcheck notification', {
          messageId: record.Sns.MessageId,
          issues: notification.error.issues
            .slice(0, 5)
            .map((i) => `${i.path.join('.')}: ${i.message}`),
        });
        continue;
      }
      const n = notification.data;
      try {
        await deps.client.send(pagerDutyEventFor(n, await deps.routingKey()));
        sent++;
        deps.logger.info('forwarded to PagerDuty', {
          check: n.check,
          event: n.event,
          notification: n.id,
        });
      } catch (error) {
        if ((error as { permanent?: boolean }).permanent) {
          rejected++;
          continue;
        }
        deps.logger.error('PagerDuty unreachable; failing the invocation so it is retried', {
          check: n.check,
          notification: n.id,
          error: errorMessage(error),
        });
        throw error;
      }
    }
    return { sent, rejected, skipped };
  };
}
