import type { AlertNotification } from '../alerting/notification.ts';
import type { Notifier } from '../alerting/notifier.ts';
import { appendBounded } from '../shared/append-bounded.ts';
import { type EmailRecipient, receives } from './email/recipients.ts';
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
  /** Who gets what; with none configured, every email is still kept and printed. */
  readonly recipients: readonly (string | EmailRecipient)[];
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

  accepts(n: AlertNotification): boolean {
    const all = this.#recipients();
    return all.length === 0 || all.some((r) => receives(r, n.severity));
  }

  async deliver(n: AlertNotification): Promise<void> {
    const options = this.#options.timeZone ? { timeZone: this.#options.timeZone } : {};
    await this.#send(emailSubject(n), emailBody(n, options), [n], this.#to([n]));
  }

  /**
   * The run's digest: one email per recipient holding the notifications of the severities it
   * gets (recipients who get the same ones share one email, as one SNS publish would be).
   */
  async deliverBatch(list: readonly AlertNotification[]): Promise<void> {
    const options = this.#options.timeZone ? { timeZone: this.#options.timeZone } : {};
    const byShare = new Map<string, { to: string[]; list: AlertNotification[] }>();
    const all = this.#recipients();
    for (const r of all.length === 0 ? [undefined] : all) {
      const mine = r ? list.filter((n) => receives(r, n.severity)) : [...list];
      if (mine.length === 0) continue;
      const key = mine.map((n) => n.id).join('\n');
      const share = byShare.get(key) ?? { to: [], list: mine };
      if (r) share.to.push(r.address);
      byShare.set(key, share);
    }
    for (const { to, list: mine } of byShare.values()) {
      if (mine.length === 1) {
        const n = mine[0] as AlertNotification;
        await this.#send(emailSubject(n), emailBody(n, options), mine, to);
      } else {
        await this.#send(digestSubject(mine), digestBody(mine, options), digestOrder(mine), to);
      }
    }
  }

  #recipients(): EmailRecipient[] {
    return this.#options.recipients.map((r) => (typeof r === 'string' ? { address: r } : r));
  }

  /** Addresses that get every one of `list` (a single notification: those of its severity). */
  #to(list: readonly AlertNotification[]): string[] {
    return this.#recipients()
      .filter((r) => list.every((n) => receives(r, n.severity)))
      .map((r) => r.address);
  }

  async #send(
    subject: string,
    body: string,
    list: readonly AlertNotification[],
    to: readonly string[],
  ): Promise<void> {
    const n = list[0] as AlertNotification;
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
