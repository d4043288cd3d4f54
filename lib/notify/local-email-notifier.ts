import type { AlertNotification } from '../alerting/notification.ts';
import { appendBounded } from '../shared/append-bounded.ts';
import { emailBody, emailSubject } from './email-message.ts';
import type { Notifier } from './notifier.ts';

export interface LocalEmailNotifierOptions {
  /** JSON Lines file every email is appended to, e.g. `.healthcheck/outbox.jsonl`. */
  readonly outboxFile: string;
  readonly recipients: readonly string[];
  /** Where the readable email is printed (stdout for tables; stderr keeps JSON output pure). */
  readonly print?: (text: string) => void;
  /** Size at which the outbox file rolls over to `<file>.1`. @default 1 MiB */
  readonly maxOutboxBytes?: number;
}

export const defaultMaxOutboxBytes = 1024 * 1024;

/** Local stand-in for SNS email: prints the message and keeps it in an outbox file. */
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
    const subject = emailSubject(n);
    const body = emailBody(n);
    const to = this.#options.recipients;
    await appendBounded(
      this.#options.outboxFile,
      `${JSON.stringify({ at: n.at, to, subject, body, notification: n })}\n`,
      this.#options.maxOutboxBytes ?? defaultMaxOutboxBytes,
    );
    this.#options.print?.(
      `\n--- email to ${to.length > 0 ? to.join(', ') : '(no recipients configured)'}\nSubject: ${subject}\n\n${body}---\n`,
    );
  }
}
