import { sleep } from './abort.ts';

/**
 * Pacing for services that punish bursts: SNS suspends an email subscription that receives more
 * than 10 messages a second, PagerDuty answers 429 past about 120 events a minute per integration
 * key. One pacer is shared by every concurrent caller in the process (the runner delivers 16 at a
 * time), so the bound holds for the process, not per caller. Starts are evenly spaced
 * (`intervalMs / limit` apart, a token bucket holding one token): `limit + 1` starts then span at
 * least `intervalMs`, so no window of `intervalMs` ever holds more than `limit`.
 */
export interface RateLimit {
  /** Starts allowed in any window of `intervalMs`. */
  readonly limit: number;
  readonly intervalMs: number;
}

/** The pacer's whole state: the earliest next start, and a pause the service asked for. */
export interface PacerState {
  readonly nextAt: number;
  readonly pausedUntil: number;
}

export const idlePacer: PacerState = { nextAt: 0, pausedUntil: 0 };

/** Milliseconds between two starts. */
export function spacingMs(rate: RateLimit): number {
  if (!(rate.limit > 0) || !(rate.intervalMs > 0)) {
    throw new RangeError(
      `rate limit must be positive (got ${rate.limit} per ${rate.intervalMs} ms)`,
    );
  }
  return rate.intervalMs / rate.limit;
}

/** Pure: when the next caller may start, and the state once it has that slot. */
export function reserveSlot(
  state: PacerState,
  now: number,
  spacing: number,
): { readonly at: number; readonly next: PacerState } {
  const at = Math.max(now, state.nextAt, state.pausedUntil);
  return { at, next: { ...state, nextAt: at + spacing } };
}

/** Pure: a pause asked for by the service (`Retry-After`) never shortens one already running. */
export function pauseUntil(state: PacerState, until: number): PacerState {
  return until > state.pausedUntil ? { ...state, pausedUntil: until } : state;
}

/** Waiting for a slot would go past what the caller allows (its deadline or `maxWaitMs`). */
export class RateLimitWaitError extends Error {
  /** How long the caller would have had to wait. */
  readonly waitMs: number;
  constructor(waitMs: number, reason: string) {
    super(`rate limit: the next slot is ${Math.ceil(waitMs)} ms away, ${reason}`);
    this.name = 'RateLimitWaitError';
    this.waitMs = waitMs;
  }
}

export interface AcquireOptions {
  readonly signal?: AbortSignal;
  /** Give up (RateLimitWaitError) rather than wait longer than this. @default no limit */
  readonly maxWaitMs?: number;
  /** Give up rather than start after this time (epoch ms). @default no deadline */
  readonly deadline?: number;
}

export interface RatePacerOptions extends RateLimit {
  /** Clock (epoch ms), for tests. @default Date.now */
  readonly now?: () => number;
}

export class RatePacer {
  readonly rate: RateLimit;
  readonly #spacing: number;
  readonly #now: () => number;
  #state: PacerState = idlePacer;

  constructor(options: RatePacerOptions) {
    this.rate = { limit: options.limit, intervalMs: options.intervalMs };
    this.#spacing = spacingMs(this.rate);
    this.#now = options.now ?? Date.now;
  }

  /**
   * Resolves when the caller may start. The slot is taken synchronously, so concurrent callers
   * get distinct slots in call order. Rejects with the signal's reason when it aborts (the slot
   * is given back when no later caller took one after it), and with `RateLimitWaitError` at once
   * when the slot is beyond `maxWaitMs` or the deadline: the caller keeps its work for later.
   */
  async acquire(options: AcquireOptions = {}): Promise<void> {
    for (;;) {
      options.signal?.throwIfAborted();
      const now = this.#now();
      const { at, next } = reserveSlot(this.#state, now, this.#spacing);
      const waitMs = at - now;
      if (options.maxWaitMs !== undefined && waitMs > options.maxWaitMs) {
        throw new RateLimitWaitError(waitMs, `more than the ${options.maxWaitMs} ms allowed`);
      }
      if (options.deadline !== undefined && at > options.deadline) {
        throw new RateLimitWaitError(waitMs, 'past the deadline');
      }
      this.#state = next;
      if (waitMs <= 0) return;
      try {
        await sleep(waitMs, options.signal);
      } catch (error) {
        if (this.#state.nextAt === next.nextAt) this.#state = { ...this.#state, nextAt: at };
        throw error;
      }
      // A pause that began while this caller waited (a 429 to another caller) holds it too.
      if (this.#state.pausedUntil <= this.#now()) return;
    }
  }

  /** The service asked for a pause (`429` with `Retry-After`): nobody starts before it ends. */
  pause(ms: number): void {
    if (ms > 0) this.#state = pauseUntil(this.#state, this.#now() + ms);
  }
}

const shared = new Map<string, RatePacer>();

/**
 * The process's one pacer for `key` (a topic ARN, an integration key): notifiers built twice in
 * one container, or two notifiers of one destination, still share one budget.
 */
export function sharedPacer(key: string, rate: RateLimit): RatePacer {
  const id = `${key}\n${rate.limit}/${rate.intervalMs}`;
  let pacer = shared.get(id);
  if (!pacer) {
    pacer = new RatePacer(rate);
    shared.set(id, pacer);
  }
  return pacer;
}
