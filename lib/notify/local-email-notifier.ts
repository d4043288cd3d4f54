import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AlertNotification } from '../alerting/notification.ts';
import type { Notifier } from '../alerting/notifier.ts';
import { emailBody, emailSubject } from './email-message.ts';

/** One email as the local stand-in "sent" it, for the CLI to print in full or as one line. */
export interface LocalEmail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly body: string;
  readonly notification: AlertNotification;
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
}

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
    const subject = emailSubject(n);
    const body = emailBody(n, this.#options.timeZone ? { timeZone: this.#options.timeZone } : {});
    const to = this.#options.recipients;
    const outboxFile = this.#options.outboxFile;
    await mkdir(dirname(outboxFile), { recursive: true });
    await appendFile(
      outboxFile,
      `${JSON.stringify({ at: n.at, to, subject, body, notification: n })}\n`,
    );
    this.#options.print?.({ to, subject, body, notification: n, outboxFile });
  }
}
