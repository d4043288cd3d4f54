import type { AlertNotification } from '../alerting/notification.ts';

/**
 * A delivery channel (PagerDuty, SNS, EventBridge, the local email outbox). `deliver` resolves
 * only when the channel accepted the notification; anything else throws, and the notification
 * stays in the check's outbox for the next run.
 */
export interface Notifier {
  /** Stable name stored in the outbox, e.g. "pagerduty". */
  readonly channel: string;
  /** Severity routing: whether this notification goes through this channel at all. */
  accepts(notification: AlertNotification): boolean;
  deliver(notification: AlertNotification, signal?: AbortSignal): Promise<void>;
  /**
   * Optional digest delivery (email): every notification a run has for this channel, in one
   * message. Resolves only when the channel accepted the whole message; on a throw every one of
   * them stays pending in its own outbox entry (or is refused for good, when `permanent`), so
   * retries stay per entry and nothing is lost. The caller gives at least two notifications
   * (one goes through `deliver`).
   */
  deliverBatch?(notifications: readonly AlertNotification[], signal?: AbortSignal): Promise<void>;
}

/** A channel refused a notification. `permanent`: retrying the same payload cannot succeed. */
export class DeliveryError extends Error {
  readonly permanent: boolean;
  constructor(message: string, options: { permanent?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeliveryError';
    this.permanent = options.permanent ?? false;
  }
}

/** Where adapters report what they could not do (console locally, Powertools logger on Lambda). */
export interface AlertLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export const silentLogger: AlertLogger = { info() {}, warn() {}, error() {} };
