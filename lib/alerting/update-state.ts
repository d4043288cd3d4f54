import { sleep } from '../shared/abort.ts';
import { backoffDelay } from '../shared/retry.ts';
import { type ResultStore, StoreContentionError, type StoredCheckState } from './result-store.ts';

/** What a decision wants written (`version` is set here), and what it returns to the caller. */
export interface StateUpdate<T, S extends { version: number } = StoredCheckState> {
  readonly next?: Omit<S, 'version'>;
  readonly value: T;
}

export interface UpdateOptions<S = StoredCheckState> {
  /** The state read before (saves a read on the first attempt); a lost race re-reads. */
  readonly preloaded?: S | undefined;
  readonly preloadedKnown?: boolean;
  readonly signal?: AbortSignal;
  /** @default 8 */
  readonly attempts?: number;
}

/** How one versioned item is read and conditionally written (a check's STATE, a group). */
export interface VersionedItem<S extends { version: number }> {
  readonly id: string;
  read(signal?: AbortSignal): Promise<S | undefined>;
  write(next: S, expectedVersion: number | undefined, signal?: AbortSignal): Promise<boolean>;
}

/**
 * Read, decide, conditionally write; on a lost race read again and decide again, for any
 * versioned item. `updateStateWithRetry` is this for a check's STATE.
 */
export async function updateWithRetry<S extends { version: number }, T>(
  item: VersionedItem<S>,
  decide: (current: S | undefined) => StateUpdate<T, S>,
  options: UpdateOptions<S> = {},
): Promise<T> {
  const attempts = options.attempts ?? 8;
  let current = options.preloaded;
  let fresh = options.preloadedKnown ?? false;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (!fresh) current = await item.read(options.signal);
    fresh = false;
    const update = decide(current);
    if (!update.next) return update.value;
    const next = { ...update.next, version: (current?.version ?? 0) + 1 } as S;
    if (await item.write(next, current?.version, options.signal)) return update.value;
    // Lost to another writer: a short jittered pause spreads the retries of a burst.
    await sleep(backoffDelay(attempt, { baseDelayMs: 10, maxDelayMs: 200 }), options.signal);
  }
  throw new StoreContentionError(item.id, attempts);
}

/**
 * Read, decide, conditionally write; on a lost race read again and decide again. The one way the
 * alerting core changes a STATE (the run's decision and the delivery's settlement alike), so
 * every write is a pure function of the state it replaces. `decide` returns no `next` to leave
 * the state as it is.
 */
export function updateStateWithRetry<T>(
  store: ResultStore,
  checkId: string,
  decide: (current: StoredCheckState | undefined) => StateUpdate<T>,
  options: UpdateOptions = {},
): Promise<T> {
  return updateWithRetry(
    {
      id: checkId,
      read: async (signal) => (await store.getStates([checkId], signal)).get(checkId),
      write: (next, expected, signal) => store.putState(next, expected, signal),
    },
    decide,
    options,
  );
}
