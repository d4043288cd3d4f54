import { type AlertLogger, DeliveryError, silentLogger } from '../alerting/notifier.ts';
import { errorMessage } from '../core/errors.ts';

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

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * Sends Events API v2 events. 202 is success; 400 is a permanent refusal (logged, not retried);
 * 429, 5xx and network errors are retried with exponential backoff, then reported as retryable.
 */
export class PagerDutyClient {
  readonly url: string;
  readonly #fetch: typeof fetch;
  readonly #attempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #timeoutMs: number;
  readonly #logger: AlertLogger;

  constructor(options: PagerDutyClientOptions = {}) {
    this.url = options.url ?? defaultPagerDutyUrl;
    this.#fetch = options.fetch ?? fetch;
    this.#attempts = Math.max(1, options.attempts ?? 4);
    this.#baseDelayMs = options.baseDelayMs ?? 500;
    this.#maxDelayMs = options.maxDelayMs ?? 8000;
    this.#timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#logger = options.logger ?? silentLogger;
  }

  async send(event: PagerDutyEvent, signal?: AbortSignal): Promise<void> {
    let lastProblem = '';
    for (let attempt = 1; attempt <= this.#attempts; attempt++) {
      const deadline = AbortSignal.timeout(this.#timeoutMs);
      let response: Response;
      try {
        response = await this.#fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(event),
          signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
        });
      } catch (error) {
        if (signal?.aborted)
          throw new DeliveryError('PagerDuty delivery aborted', { cause: error });
        lastProblem = `cannot reach ${this.url}: ${errorMessage(error)}`;
        await this.#backoff(attempt, lastProblem, event, signal);
        continue;
      }
      const text = await response.text().catch(() => '');
      if (response.status === 202 || (response.status >= 200 && response.status < 300)) return;
      if (response.status === 429 || response.status >= 500) {
        lastProblem = `PagerDuty answered ${response.status}`;
        const retryAfter = Number(response.headers.get('retry-after'));
        await this.#backoff(attempt, lastProblem, event, signal, retryAfter * 1000);
        continue;
      }
      // 400 and other 4xx: the payload or routing key is wrong; sending it again cannot help.
      const reason = `PagerDuty rejected the ${event.event_action} event for ${event.dedup_key} (${response.status}): ${text.slice(0, 500)}`;
      this.#logger.error(reason, { dedupKey: event.dedup_key, status: response.status });
      throw new DeliveryError(reason, { permanent: true });
    }
    throw new DeliveryError(`${lastProblem} (gave up after ${this.#attempts} attempts)`);
  }

  async #backoff(
    attempt: number,
    problem: string,
    event: PagerDutyEvent,
    signal: AbortSignal | undefined,
    hintMs = 0,
  ): Promise<void> {
    if (attempt >= this.#attempts) return;
    const exponential = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1));
    const delay = Math.max(
      Number.isFinite(hintMs) ? Math.min(hintMs, this.#maxDelayMs) : 0,
      exponential / 2 + Math.random() * (exponential / 2),
    );
    this.#logger.warn(`${problem}; retrying in ${Math.round(delay)} ms`, {
      dedupKey: event.dedup_key,
      attempt,
    });
    await sleep(delay, signal);
  }
}
