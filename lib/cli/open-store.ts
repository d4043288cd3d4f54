/**
 * How the CLI opens its store: `run` read-write, waiting for locks as long as its own checks may
 * take; `status`, `history` and `report` read-only (they work during a run and on a read-only
 * dir). The store code is imported on first use, in the background while the config loads.
 */
import type { CheckConfig } from '../config/load-config.ts';
import type { LocalStore, StoreAccess } from '../store/local-store.ts';

type LocalStoreModule = typeof import('../store/local-store.ts');
let storeModule: Promise<LocalStoreModule> | undefined;

/** Starts loading the store's code while the config is read. */
export function preloadLocalStore(): void {
  storeModule ??= import('../store/local-store.ts');
  storeModule.catch(() => {});
}

/** Readers wait this long for `healthcheck doctor` to finish a repair. */
export const readerWaitMs = 60_000;

/**
 * The longest a run's checks can take: each check's deadline, wave after wave at the run's
 * concurrency. A run waits for another run's lock at most this long (an overlapping run of the
 * same checks finishes within it), never a fixed minute.
 */
export function runWaitMs(checks: readonly CheckConfig[], concurrency: number): number {
  const longest = Math.max(0, ...checks.map((c) => c.timeoutSeconds));
  const waves = Math.max(1, Math.ceil(checks.length / Math.max(1, concurrency)));
  return Math.max(10_000, Math.round(longest * waves * 1000));
}

export async function openLocalStore(
  stateDir: string,
  access: StoreAccess,
  waitMs: number,
): Promise<LocalStore> {
  preloadLocalStore();
  const { openLocalStore: open } = await (storeModule as Promise<LocalStoreModule>);
  return open(stateDir, { access, waitMs });
}
