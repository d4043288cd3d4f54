import { sleep } from './abort.ts';

/**
 * Pacing for services that punish bursts: SNS suspends an email subscription that receives more
 * than 10 messages a second, PagerDuty answers 429 past about 120 events a minute per integration
 * key. One pacer is shared by every concurrent caller in the process (the runner delivers 16 at a
 * time), so the bound holds for the process, not per caller.
 *
 * A token bucket holding `burst` tokens (GCRA form): up to `burst` callers start at once, then
 * one every `intervalMs / (limit - burst + 1)`, which is what keeps any window of `intervalMs`
 * at `limit` starts or fewer (the bucket's `burst` plus what refills inside the window).
 */
export interface RateLimit {
  /** Starts allowed in any window of `intervalMs`. */
  readonly limit: number;
  readonly intervalMs: number;
  /** Of those, how many may start at once after a quiet spell. @default 1 (evenly spaced) */
  readonly burst?: number;
}

/**
 * The pacer's whole state. `tat` is the theoretical arrival time of GCRA: where the next start
 * would go if nobody had ever burst; `pausedUntil`, a pause the service asked for.
 */
export interface PacerState {
  readonly tat: number;
  readonly pausedUntil: number;
}

export const idlePacer: PacerState = { tat: 0, pausedUntil: 0 };

/** Milliseconds between two starts once the burst is spent. */
export function spacingMs(rate: RateLimit): number {
  const burst = rate.burst ?? 1;
  if (!(rate.limit > 0) || !(rate.intervalMs > 0) || !(burst >= 1 && burst <= rate.limit)) {
    throw new RangeError(
      `rate limit must be positive with 1 <= burst <= limit (got ${rate.limit} per ${rate.intervalMs} ms, burst ${burst})`,
    );
  }
  return rate.intervalMs / (rate.limit - burst + 1);
}

/** Pure: when the next caller may start, and the state once it has that slot. */
export function reserveSlot(
  state: PacerState,
  now: number,
  spacing: number,
  burst = 1,
): { readonly at: number; readonly next: PacerState } {
  const at = Math.max(now, state.tat - (burst - 1) * spacing, state.pausedUntil);
  return { at, next: { ...state, tat: Math.max(at, state.tat) + spacing } };
}

/**
 * Pure: how long a caller must still wait so that no window of `intervalMs` holds more than
 * `limit` actual starts (`starts`: the latest ones, oldest first). The slots above already space
 * starts; this holds the bound when callers wake late together (a stalled event loop, a frozen
 * Lambda) and would otherwise start in a bunch.
 */
export function windowWaitMs(starts: readonly number[], now: number, rate: RateLimit): number {
  if (starts.length < rate.limit) return 0;
  const oldest = starts[starts.length - rate.limit] as number;
  return Math.max(0, oldest + rate.intervalMs - now);
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
  /** Give up rather than wait until after this time (epoch ms). @default no deadline */
  readonly deadline?: number;
}

export interface RatePacerOptions extends RateLimit {
  /** Clock (epoch ms), for tests. @default Date.now */
  readonly now?: () => number;
}

function refuseBeyond(waitMs: number, at: number, options: AcquireOptions): void {
  if (options.maxWaitMs !== undefined && waitMs > options.maxWaitMs) {
    throw new RateLimitWaitError(waitMs, `more than the ${options.maxWaitMs} ms allowed`);
  }
  // A free slot is taken even past the deadline: only waiting is what the caller cannot afford.
  if (options.deadline !== undefined && waitMs > 0 && at > options.deadline) {
    throw new RateLimitWaitError(waitMs, 'past the deadline');
  }
}

export class RatePacer {
  readonly rate: RateLimit;
  readonly #spacing: number;
  readonly #burst: number;
  readonly #now: () => number;
  #state: PacerState = idlePacer;
  /** The latest `limit` actual starts, oldest first. */
  #starts: number[] = [];

  constructor(options: RatePacerOptions) {
    this.#burst = options.burst ?? 1;
    this.rate = { limit: options.limit, intervalMs: options.intervalMs, burst: this.#burst };
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
      const before = this.#state;
      const { at, next } = reserveSlot(before, now, this.#spacing, this.#burst);
      const waitMs = at - now;
      refuseBeyond(waitMs, at, options);
      this.#state = next;
      try {
        if (waitMs > 0) await sleep(waitMs, options.signal);
      } catch (error) {
        if (this.#state.tat === next.tat) this.#state = { ...this.#state, tat: before.tat };
        throw error;
      }
      // A pause that began while this caller waited (a 429 to another caller) holds it too.
      if (this.#state.pausedUntil > this.#now()) continue;
      for (;;) {
        const lateMs = windowWaitMs(this.#starts, this.#now(), this.rate);
        if (lateMs <= 0) break;
        await sleep(lateMs, options.signal);
      }
      this.#starts.push(this.#now());
      if (this.#starts.length > this.rate.limit) this.#starts.shift();
      return;
    }
  }

  /**
   * Throws `RateLimitWaitError` when the next turn is already beyond `maxWaitMs` or the deadline
   * (after a long `Retry-After`): the caller gives up now rather than after a backoff.
   */
  check(options: Omit<AcquireOptions, 'signal'>): void {
    const now = this.#now();
    const { at } = reserveSlot(this.#state, now, this.#spacing, this.#burst);
    refuseBeyond(at - now, at, options);
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
  const id = `${key}\n${rate.limit}/${rate.intervalMs}/${rate.burst ?? 1}`;
  let pacer = shared.get(id);
  if (!pacer) {
    pacer = new RatePacer(rate);
    shared.set(id, pacer);
  }
  return pacer;
}
