import { sleep } from '../shared/abort.ts';
import { backoffDelay } from '../shared/retry.ts';
import { type ResultStore, StoreContentionError, type StoredCheckState } from './result-store.ts';

/** What a decision wants written (`version` is set here), and what it returns to the caller. */
export interface StateUpdate<T> {
  readonly next?: Omit<StoredCheckState, 'version'>;
  readonly value: T;
}

export interface UpdateOptions {
  /** The state read before (saves a read on the first attempt); a lost race re-reads. */
  readonly preloaded?: StoredCheckState | undefined;
  readonly preloadedKnown?: boolean;
  readonly signal?: AbortSignal;
  /** @default 8 */
  readonly attempts?: number;
}

/**
 * Read, decide, conditionally write; on a lost race read again and decide again. The one way the
 * alerting core changes a STATE (the run's decision and the delivery's settlement alike), so
 * every write is a pure function of the state it replaces. `decide` returns no `next` to leave
 * the state as it is.
 */
export async function updateStateWithRetry<T>(
  store: ResultStore,
  checkId: string,
  decide: (current: StoredCheckState | undefined) => StateUpdate<T>,
  options: UpdateOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 8;
  let current = options.preloaded;
  let fresh = options.preloadedKnown ?? false;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (!fresh) current = (await store.getStates([checkId], options.signal)).get(checkId);
    fresh = false;
    const update = decide(current);
    if (!update.next) return update.value;
    const next: StoredCheckState = { ...update.next, version: (current?.version ?? 0) + 1 };
    if (await store.putState(next, current?.version, options.signal)) return update.value;
    // Lost to another writer: a short jittered pause spreads the retries of a burst.
    await sleep(backoffDelay(attempt, { baseDelayMs: 10, maxDelayMs: 200 }), options.signal);
  }
  throw new StoreContentionError(checkId, attempts);
}
