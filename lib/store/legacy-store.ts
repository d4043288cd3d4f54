/**
 * The store layout before SQLite: dynalite's LevelDB files under `<state dir>/dynamodb`, guarded
 * by `<state dir>/store.lock`. Found once, imported once (import-legacy-store.ts), then moved
 * aside to `dynamodb.imported-<time>`, which the user may delete.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stateFile } from './sqlite-schema.ts';

export const legacyDirName = 'dynamodb';
/** The old CLI's own lock file; meaningless once the store is SQLite. */
export const legacyLockName = 'store.lock';
/** Written before an import starts and removed after: its presence means an import crashed. */
export const importStartedName = 'import.started';

export function legacyDir(stateDir: string): string {
  return join(stateDir, legacyDirName);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** An old store is there and nothing has been imported from it yet. */
export function needsLegacyImport(stateDir: string): boolean {
  return isDirectory(legacyDir(stateDir)) && !existsSync(join(stateDir, stateFile.file));
}

/** A suffix for files moved aside: sortable, no colons (they trouble some tools). */
export function asideStamp(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '-');
}
