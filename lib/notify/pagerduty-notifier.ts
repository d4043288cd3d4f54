import type { AlertNotification } from '../alerting/notification.ts';
import type { Notifier } from '../alerting/notifier.ts';
import type { Severity } from '../config/fields.ts';
import type { PagerDutyClient } from './pagerduty-client.ts';
import { pagerDutyEventFor } from './pagerduty-event.ts';

export interface PagerDutyNotifierOptions {
  readonly client: PagerDutyClient;
  /** Resolved at delivery time so a secret is fetched only when something pages. */
  readonly routingKey: () => Promise<string>;
  /** Severities that page. @default ['P1', 'P2'] */
  readonly severities?: readonly Severity[];
}

/** Pages directly from the outbox: the CLI and the runner Lambda alike (lib/notify/pagerduty/index.ts). */
export class PagerDutyNotifier implements Notifier {
  readonly channel = 'pagerduty';
  readonly #options: PagerDutyNotifierOptions;

  constructor(options: PagerDutyNotifierOptions) {
    this.#options = options;
  }

  accepts(notification: AlertNotification): boolean {
    return (this.#options.severities ?? ['P1', 'P2']).includes(notification.severity);
  }

  async deliver(notification: AlertNotification, signal?: AbortSignal): Promise<void> {
    const routingKey = await this.#options.routingKey();
    await this.#options.client.send(pagerDutyEventFor(notification, routingKey), signal);
  }
}
