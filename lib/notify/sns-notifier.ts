import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { boundedSummary } from '../alerting/bounded.ts';
import type { AlertNotification } from '../alerting/notification.ts';
import { DeliveryError, type Notifier } from '../alerting/notifier.ts';
import { errorMessage } from '../core/errors.ts';
import { type RateLimit, type RatePacer, sharedPacer } from '../shared/rate-pacer.ts';
import { truncateBytes } from './ascii-text.ts';
import { digestBody, digestOrder, digestSubject } from './email-digest.ts';
import { emailBody, emailSubject } from './email-message.ts';

/** SNS's message limit is 256 KB for the whole JSON envelope; leave room for escaping. */
const maxPartBytes = 100 * 1024;

/** Message attribute subscriptions filter on, e.g. `{ severity: ["P1", "P2"] }`. */
export const severityAttribute = 'severity';

/**
 * SNS suspends an email subscription that receives more than 10 messages a second (and deletes
 * it 48 hours later). Publishing at 8 a second, evenly spaced, leaves room for network jitter
 * between this process and SNS's own count.
 */
export const snsEmailRate: RateLimit = { limit: 8, intervalMs: 1000 };

export interface SnsNotifierOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
  /** The config's time zone for times in the email text (a function: the config loads lazily). */
  readonly timeZone?: string | (() => string);
  /**
   * Paces every publish to the topic; share one across notifiers of the same topic.
   * @default - the process's shared pacer for this topic at `snsEmailRate`
   */
  readonly pacer?: RatePacer;
  /**
   * Epoch ms after which a publish does not wait for its turn (kept retryable in the outbox);
   * read at each delivery, like the PagerDuty client's. @default - only the signal ends a wait
   */
  readonly deadline?: () => number | undefined;
}

/**
 * Publishes to the alert topic with `MessageStructure: json`: email subscribers get the readable
 * text, everything else (other teams' subscribers) the notification JSON. The `severity` message
 * attribute lets subscriptions filter by severity. Publishes are paced (`snsEmailRate`) across
 * every concurrent delivery in the process; waiting ends with the caller's signal, as a
 * retryable `DeliveryError`, so the notification stays in the outbox.
 */
export class SnsNotifier implements Notifier {
  readonly channel = 'sns';
  readonly #options: SnsNotifierOptions;
  readonly #pacer: RatePacer;

  constructor(options: SnsNotifierOptions) {
    this.#options = options;
    this.#pacer = options.pacer ?? sharedPacer(`sns:${options.topicArn}`, snsEmailRate);
  }

  #timeZone(): string {
    const zone = this.#options.timeZone;
    return (typeof zone === 'function' ? zone() : zone) ?? 'UTC';
  }

  accepts(): boolean {
    return true;
  }

  /**
   * Waits for this topic's next publish slot (a digest counts as one publish like any other);
   * out of time, the notification stays in the outbox, retryable.
   */
  async #turn(signal?: AbortSignal): Promise<void> {
    try {
      const deadline = this.#options.deadline?.();
      await this.#pacer.acquire({
        ...(signal ? { signal } : {}),
        ...(deadline === undefined ? {} : { deadline }),
      });
    } catch (error) {
      const { limit, intervalMs } = this.#pacer.rate;
      throw new DeliveryError(
        `not published: time ran out waiting for a slot (at most ${limit} publishes per ${intervalMs} ms): ${errorMessage(error)}`,
        { cause: error },
      );
    }
  }

  async deliver(n: AlertNotification, signal?: AbortSignal): Promise<void> {
    const structured = JSON.stringify(n);
    const message = JSON.stringify({
      default:
        Buffer.byteLength(structured) <= maxPartBytes
          ? structured
          : JSON.stringify({
              ...n,
              summary: boundedSummary(n.summary),
              details: { truncated: true },
            }),
      email: truncateBytes(emailBody(n, { timeZone: this.#timeZone() }), maxPartBytes),
    });
    await this.#turn(signal);
    try {
      await this.#options.client.send(
        new PublishCommand({
          TopicArn: this.#options.topicArn,
          Subject: emailSubject(n),
          Message: message,
          MessageStructure: 'json',
          MessageAttributes: {
            [severityAttribute]: { DataType: 'String', StringValue: n.severity },
            event: { DataType: 'String', StringValue: n.event },
            status: { DataType: 'String', StringValue: n.status },
            check: { DataType: 'String', StringValue: n.check },
          },
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      throw new DeliveryError(`SNS publish failed: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * Publishes the run's notifications as one message: email subscribers get one digest email,
   * other subscribers `{ digest: [notification, ...] }`. The severity attribute is the most
   * urgent of them, so a subscription filtered to P1 still gets a digest holding a P1.
   */
  async deliverBatch(list: readonly AlertNotification[], signal?: AbortSignal): Promise<void> {
    const ordered = digestOrder(list);
    const message = JSON.stringify({
      default: digestJson(ordered),
      email: truncateBytes(digestBody(ordered, { timeZone: this.#timeZone() }), maxPartBytes),
    });
    const worst = ordered[0] as AlertNotification;
    await this.#turn(signal);
    try {
      await this.#options.client.send(
        new PublishCommand({
          TopicArn: this.#options.topicArn,
          Subject: digestSubject(ordered),
          Message: message,
          MessageStructure: 'json',
          MessageAttributes: {
            [severityAttribute]: {
              DataType: 'String',
              StringValue: [...ordered.map((n) => n.severity)].sort()[0] as string,
            },
            event: { DataType: 'String', StringValue: 'digest' },
            status: { DataType: 'String', StringValue: worst.status },
            check: { DataType: 'String', StringValue: `${ordered.length} notifications` },
          },
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      throw new DeliveryError(`SNS publish failed: ${(error as Error).message}`, { cause: error });
    }
  }
}

/**
 * The digest for non-email subscribers: every notification in full when it fits, else a short
 * line per notification (as many as fit), with how many were left out.
 */
function digestJson(ordered: readonly AlertNotification[]): string {
  const full = JSON.stringify({ digest: ordered });
  if (Buffer.byteLength(full) <= maxPartBytes) return full;
  const short = ordered.map((n) => ({
    id: n.id,
    check: n.check,
    event: n.event,
    status: n.status,
    severity: n.severity,
    summary: n.summary.slice(0, 200),
    ...(n.dedupKey ? { dedupKey: n.dedupKey } : {}),
  }));
  let kept = short.length;
  let text = JSON.stringify({ digest: short });
  while (Buffer.byteLength(text) > maxPartBytes && kept > 1) {
    kept = Math.floor(kept / 2);
    text = JSON.stringify({ digest: short.slice(0, kept), truncated: short.length - kept });
  }
  return text;
}
