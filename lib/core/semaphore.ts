/** Runs async tasks with at most `limit` in flight, preserving result order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}

export interface KeyedLimits<T> {
  /** Tasks in flight at once in all. */
  readonly limit: number;
  /** Tasks in flight at once per key (items without a key only count against `limit`). */
  readonly perKey: number;
  readonly keyOf: (item: T) => string | undefined;
}

/**
 * Like `mapWithConcurrency`, with a second cap per key (one target host:port): a free slot goes
 * to the first waiting item whose key is below its cap, so one busy key never holds up the
 * others (no head-of-line blocking). Starts items in order otherwise; results keep input order.
 */
export async function mapWithKeyedLimits<T, R>(
  items: readonly T[],
  limits: KeyedLimits<T>,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const keys = items.map((item) => limits.keyOf(item));
  const waiting = items.map((_, i) => i);
  const inFlight = new Map<string, number>();
  let sleepers: (() => void)[] = [];
  const take = (): number | undefined => {
    const w = waiting.findIndex((index) => {
      const key = keys[index];
      return key === undefined || (inFlight.get(key) ?? 0) < limits.perKey;
    });
    if (w < 0) return undefined;
    const [index] = waiting.splice(w, 1) as [number];
    const key = keys[index];
    if (key !== undefined) inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    return index;
  };
  const worker = async (): Promise<void> => {
    while (waiting.length > 0) {
      const index = take();
      if (index === undefined) {
        // Every waiting item's key is at its cap; a finishing task of that key wakes us.
        await new Promise<void>((wake) => sleepers.push(wake));
        continue;
      }
      try {
        results[index] = await task(items[index] as T, index);
      } finally {
        const key = keys[index];
        if (key !== undefined) inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
        const wake = sleepers;
        sleepers = [];
        for (const w of wake) w();
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limits.limit, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}
