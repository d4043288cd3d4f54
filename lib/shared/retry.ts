import { sleep } from './abort.ts';

/**
 * The one retry loop with exponential backoff and jitter. The operation decides what is worth
 * retrying by returning `{retry: true, ...}` or throwing; a `retryAfterMs` hint (HTTP
 * `Retry-After`) stretches the next wait, never shortens it.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. @default 4 */
  readonly attempts?: number;
  /** First backoff; doubles per retry. @default 500 */
  readonly baseDelayMs?: number;
  /** Cap on one wait, hints included. @default 8000 */
  readonly maxDelayMs?: number;
  /** Called before each wait (logging). */
  readonly onRetry?: (info: { attempt: number; delayMs: number; problem: unknown }) => void;
  /** Jitter source, for deterministic tests. @default Math.random */
  readonly random?: () => number;
}

export type AttemptResult<T> =
  | { readonly done: true; readonly value: T }
  | { readonly done: false; readonly problem: unknown; readonly retryAfterMs?: number };

export class RetryExhaustedError extends Error {
  readonly attempts: number;
  readonly problem: unknown;
  constructor(attempts: number, problem: unknown) {
    const text = problem instanceof Error ? problem.message : String(problem);
    super(`${text} (gave up after ${attempts} attempts)`, { cause: problem });
    this.name = 'RetryExhaustedError';
    this.attempts = attempts;
    this.problem = problem;
  }
}

/** The wait before retry number `attempt` (1-based), jittered between half and all of it. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy = {},
  retryAfterMs?: number,
): number {
  const base = policy.baseDelayMs ?? 500;
  const max = policy.maxDelayMs ?? 8000;
  const random = policy.random ?? Math.random;
  const exponential = Math.min(max, base * 2 ** (attempt - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  const hint =
    retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0
      ? Math.min(retryAfterMs, max)
      : 0;
  return Math.max(hint, jittered);
}

/**
 * Runs `operation` until it is done, the attempts run out (throws `RetryExhaustedError` with the
 * last problem) or the signal aborts (rejects with its reason, without waiting out a backoff).
 * A thrown error is not retried unless `isRetryable` says so.
 */
export async function retryWithBackoff<T>(
  operation: (attempt: number) => Promise<AttemptResult<T>>,
  policy: RetryPolicy & { readonly isRetryable?: (error: unknown) => boolean } = {},
  signal?: AbortSignal,
): Promise<T> {
  const attempts = Math.max(1, policy.attempts ?? 4);
  let problem: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    signal?.throwIfAborted();
    let retryAfterMs: number | undefined;
    try {
      const result = await operation(attempt);
      if (result.done) return result.value;
      problem = result.problem;
      retryAfterMs = result.retryAfterMs;
    } catch (error) {
      if (signal?.aborted || !policy.isRetryable?.(error)) throw error;
      problem = error;
    }
    if (attempt === attempts) break;
    const delayMs = backoffDelay(attempt, policy, retryAfterMs);
    policy.onRetry?.({ attempt, delayMs, problem });
    await sleep(delayMs, signal);
  }
  throw new RetryExhaustedError(attempts, problem);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or bad. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
