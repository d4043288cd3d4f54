import { type AlertLogger, DeliveryError, silentLogger } from '../alerting/notifier.ts';
import { errorMessage } from '../core/errors.ts';
import { withDeadline } from '../shared/abort.ts';
import {
  type RateLimit,
  RateLimitWaitError,
  type RatePacer,
  sharedPacer,
} from '../shared/rate-pacer.ts';
import { parseRetryAfter, RetryExhaustedError, retryWithBackoff } from '../shared/retry.ts';

export const defaultPagerDutyUrl = 'https://events.pagerduty.com/v2/enqueue';

/** What PagerDuty's Events API v2 accepts per integration key before it answers 429. */
export const pagerDutyEventsPerMinute = 120;

/**
 * How the client paces requests per integration key: at most 110 in any minute, under
 * PagerDuty's 120 so the watchdog (another process paging with the same key) and clock skew
 * still fit; 10 go at once after a quiet spell, so a few pages never wait.
 */
export const pagerDutyRate: RateLimit = {
  limit: pagerDutyEventsPerMinute - 10,
  intervalMs: 60_000,
  burst: 10,
};

/** Default for `maxWaitMs`: well inside the runner's recording margin (up to 30 s). */
export const defaultPagerDutyMaxWaitMs = 20_000;

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
  /**
   * Requests per integration key (retries count: PagerDuty counts them too).
   * @default pagerDutyRate
   */
  readonly rate?: RateLimit;
  /**
   * Paces every request of this client, whatever the key.
   * @default - the process's shared pacer per URL and integration key at `rate`
   */
  readonly pacer?: RatePacer;
  /**
   * The longest one event waits for its turn (pacing, or a `Retry-After` pause); beyond it the
   * event is reported retryable at once and stays in the outbox for the next run or delivery
   * pass, instead of holding the run. @default defaultPagerDutyMaxWaitMs
   */
  readonly maxWaitMs?: number;
  /**
   * Epoch ms after which no event waits for its turn (the run keeps time to record what was
   * delivered); read at each send. @default - none
   */
  readonly deadline?: () => number | undefined;
}

/**
 * Sends Events API v2 events, paced per integration key (`pagerDutyRate`) across every
 * concurrent caller in the process. 2xx is success. A 429 pauses every sender of that key for
 * its `Retry-After` (seconds or an HTTP date) before the retry. 429, 5xx and network errors are
 * retried with backoff, then reported as retryable: the event stays in the outbox. A turn that
 * would come after `maxWaitMs` or the deadline is reported retryable at once, so nothing is
 * dropped and the run is not held.
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

  #pacerFor(routingKey: string): RatePacer {
    return (
      this.#options.pacer ??
      sharedPacer(`pagerduty ${this.url} ${routingKey}`, this.#options.rate ?? pagerDutyRate)
    );
  }

  async send(event: PagerDutyEvent, signal?: AbortSignal): Promise<void> {
    const pacer = this.#pacerFor(event.routing_key);
    const deadline = this.#options.deadline?.();
    const turn = {
      maxWaitMs: this.#options.maxWaitMs ?? defaultPagerDutyMaxWaitMs,
      ...(deadline === undefined ? {} : { deadline }),
      ...(signal ? { signal } : {}),
    };
    try {
      await retryWithBackoff(
        async () => {
          await pacer.acquire(turn);
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
            // Everyone sending with this key waits it out, not only this event.
            if (response.status === 429 && retryAfterMs !== undefined) {
              pacer.pause(retryAfterMs);
              // A pause longer than this event may wait: keep it for later now, not after a backoff.
              pacer.check(turn);
            }
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
      if (error instanceof RateLimitWaitError) {
        throw new DeliveryError(
          `PagerDuty ${event.event_action} for ${event.dedup_key} not sent yet, kept for the next run: ${error.message}`,
          { cause: error },
        );
      }
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
