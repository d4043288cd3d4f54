import { type AlertLogger, DeliveryError, silentLogger } from '../alerting/notifier.ts';
import { errorMessage } from '../core/errors.ts';
import { withDeadline } from '../shared/abort.ts';
import { parseRetryAfter, RetryExhaustedError, retryWithBackoff } from '../shared/retry.ts';

export const defaultPagerDutyUrl = 'https://events.pagerduty.com/v2/enqueue';

/** An Events API v2 event (https://developer.pagerduty.com/api-reference/368ae3d938c9e-send-an-event-to-pager-duty). */
export interface PagerDutyEvent {
  readonly routing_key: string;
  readonly event_action: 'trigger' | 'acknowledge' | 'resolve';
  readonly dedup_key: string;
  readonly client?: string;
  readonly links?: readonly { href: string; text?: string }[];
  readonly payload?: {
    readonly summary: string;
    readonly source: string;
    readonly severity: 'critical' | 'error' | 'warning' | 'info';
    readonly timestamp?: string;
    readonly component?: string;
    readonly group?: string;
    readonly class?: string;
    readonly custom_details?: Record<string, unknown>;
  };
}

export interface PagerDutyClientOptions {
  readonly url?: string;
  readonly fetch?: typeof fetch;
  /** Attempts in all, for 429, 5xx and network errors. @default 4 */
  readonly attempts?: number;
  /** First backoff; doubles each retry, with jitter. @default 500 */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Per-request deadline. @default 10000 */
  readonly requestTimeoutMs?: number;
  readonly logger?: AlertLogger;
}

/**
 * Sends Events API v2 events. 2xx is success. 429, 5xx and network errors are retried with
 * backoff (honouring `Retry-After`), then reported as retryable: the event stays in the outbox.
 * Any other 4xx (400 malformed, 401/403/404 a wrong or rotated routing key or URL) is a permanent
 * refusal: sending the same event again cannot help.
 */
export class PagerDutyClient {
  readonly url: string;
  readonly #fetch: typeof fetch;
  readonly #options: PagerDutyClientOptions;
  readonly #logger: AlertLogger;

  constructor(options: PagerDutyClientOptions = {}) {
    this.url = options.url ?? defaultPagerDutyUrl;
    this.#fetch = options.fetch ?? fetch;
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
  }

  async send(event: PagerDutyEvent, signal?: AbortSignal): Promise<void> {
    try {
      await retryWithBackoff(
        async () => {
          let response: Response;
          try {
            response = await this.#fetch(this.url, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(event),
              signal: withDeadline(signal, this.#options.requestTimeoutMs ?? 10_000),
            });
          } catch (error) {
            if (signal?.aborted)
              throw new DeliveryError('PagerDuty delivery aborted', { cause: error });
            return { done: false, problem: `cannot reach ${this.url}: ${errorMessage(error)}` };
          }
          const text = await response.text().catch(() => '');
          if (response.ok) return { done: true, value: undefined };
          if (response.status === 429 || response.status >= 500) {
            const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
            return {
              done: false,
              problem: `PagerDuty answered ${response.status}`,
              ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
            };
          }
          const reason = `PagerDuty rejected the ${event.event_action} event for ${event.dedup_key} (${response.status}${response.status === 400 ? '' : ': check the routing key and URL'}): ${text.slice(0, 500)}`;
          this.#logger.error(reason, { dedupKey: event.dedup_key, status: response.status });
          throw new DeliveryError(reason, { permanent: true });
        },
        {
          attempts: this.#options.attempts ?? 4,
          baseDelayMs: this.#options.baseDelayMs ?? 500,
          maxDelayMs: this.#options.maxDelayMs ?? 8000,
          onRetry: ({ attempt, delayMs, problem }) =>
            this.#logger.warn(`${String(problem)}; retrying in ${Math.round(delayMs)} ms`, {
              dedupKey: event.dedup_key,
              attempt,
            }),
        },
        signal,
      );
    } catch (error) {
      if (error instanceof RetryExhaustedError) {
        throw new DeliveryError(error.message, { cause: error });
      }
      if (error instanceof DeliveryError) throw error;
      throw new DeliveryError(`PagerDuty delivery failed: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  }
}
