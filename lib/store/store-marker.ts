/**
 * `store.json` in a state dir says a store was created there, so a store file that later
 * disappears or is emptied is reported as lost instead of silently starting over (which would
 * page every failing check again and drop undelivered notifications).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const markerFile = 'store.json';

export interface StoreMarker {
  readonly store: 'sqlite';
  readonly files: readonly string[];
  readonly createdAt: string;
  /** Set once an old dynalite state dir was imported. */
  readonly importedFrom?: string;
  readonly importedAt?: string;
}

export function readMarker(stateDir: string): StoreMarker | undefined {
  try {
    return JSON.parse(readFileSync(join(stateDir, markerFile), 'utf8')) as StoreMarker;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // An unreadable marker still means "a store was here".
    return { store: 'sqlite', files: [], createdAt: 'unknown' };
  }
}

export function writeMarker(stateDir: string, marker: StoreMarker): void {
  const file = join(stateDir, markerFile);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(marker, null, 2)}\n`);
  renameSync(temporary, file);
}
