import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AlertNotification } from '../alerting/notification.ts';
import type { Notifier } from '../alerting/notifier.ts';
import { emailBody, emailSubject } from './email-message.ts';

export interface LocalEmailNotifierOptions {
  /** JSON Lines file every email is appended to, e.g. `.healthcheck/outbox.jsonl`. */
  readonly outboxFile: string;
  readonly recipients: readonly string[];
  /** Where the readable email is printed (stdout for tables; stderr keeps JSON output pure). */
  readonly print?: (text: string) => void;
}

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
    await mkdir(dirname(this.#options.outboxFile), { recursive: true });
    await appendFile(
      this.#options.outboxFile,
      `${JSON.stringify({ at: n.at, to, subject, body, notification: n })}\n`,
    );
    this.#options.print?.(
      `\n--- email to ${to.length > 0 ? to.join(', ') : '(no recipients configured)'}\nSubject: ${subject}\n\n${body}---\n`,
    );
  }
}
