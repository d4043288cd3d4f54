import type { AlertNotification } from '../alerting/notification.ts';
import type { Notifier } from '../alerting/notifier.ts';
import { appendBounded } from '../shared/append-bounded.ts';
import { digestBody, digestOrder, digestSubject } from './email-digest.ts';
import { emailBody, emailSubject } from './email-message.ts';

/** One email as the local stand-in "sent" it, for the CLI to print in full or as one line. */
export interface LocalEmail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly body: string;
  readonly notification: AlertNotification;
  /** A digest's notifications, worst first (`notification` is the first of them). */
  readonly notifications?: readonly AlertNotification[];
  /** Where the full text was appended. */
  readonly outboxFile: string;
}

export interface LocalEmailNotifierOptions {
  /** JSON Lines file every email is appended to, e.g. `.healthcheck/outbox.jsonl`. */
  readonly outboxFile: string;
  readonly recipients: readonly string[];
  /** The config's time zone, for the times in the body. @default 'UTC' */
  readonly timeZone?: string;
  /** Called with each email once it is in the outbox (the CLI prints it after its table). */
  readonly print?: (email: LocalEmail) => void;
  /** Size at which the outbox file rolls over to `<file>.1`. @default 1 MiB */
  readonly maxOutboxBytes?: number;
}

export const defaultMaxOutboxBytes = 1024 * 1024;

/** Local stand-in for SNS email: keeps each message in an outbox file and hands it to `print`. */
export class LocalEmailNotifier implements Notifier {
  readonly channel = 'email';
  readonly #options: LocalEmailNotifierOptions;

  constructor(options: LocalEmailNotifierOptions) {
    this.#options = options;
  }

  accepts(): boolean {
    return true;
  }

  async deliver(n: AlertNotification): Promise<void> {
    const options = this.#options.timeZone ? { timeZone: this.#options.timeZone } : {};
    await this.#send(emailSubject(n), emailBody(n, options), [n]);
  }

  /** The run's digest: one email per recipient for all of the run's notifications. */
  async deliverBatch(list: readonly AlertNotification[]): Promise<void> {
    const options = this.#options.timeZone ? { timeZone: this.#options.timeZone } : {};
    await this.#send(digestSubject(list), digestBody(list, options), digestOrder(list));
  }

  async #send(subject: string, body: string, list: readonly AlertNotification[]): Promise<void> {
    const n = list[0] as AlertNotification;
    const to = this.#options.recipients;
    const outboxFile = this.#options.outboxFile;
    const digest = list.length > 1 ? { notifications: list } : {};
    await appendBounded(
      outboxFile,
      `${JSON.stringify({ at: n.at, to, subject, body, notification: n, ...digest })}\n`,
      this.#options.maxOutboxBytes ?? defaultMaxOutboxBytes,
    );
    this.#options.print?.({ to, subject, body, notification: n, ...digest, outboxFile });
  }
}
