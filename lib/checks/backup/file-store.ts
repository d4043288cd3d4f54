import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type BackupObject, type BackupStore, BackupStoreError } from './backup-store.ts';
import { anyBelow, hasTokens, templatePattern } from './location.ts';

/** Enough for years of nightly backups; a bigger tree means a too-broad template. */
const maxEntries = 50_000;

function unreadable(path: string, error: unknown): BackupStoreError {
  const e = error as NodeJS.ErrnoException;
  return new BackupStoreError(`cannot read ${path}: ${e.code ?? e.message}`, { cause: error });
}

async function statFile(path: string): Promise<BackupObject | undefined> {
  try {
    const s = await stat(path);
    if (!s.isFile()) return undefined;
    return { location: `file://${path}`, key: path, sizeBytes: s.size, modifiedAt: s.mtime };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw unreadable(path, error);
  }
}

async function entries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw unreadable(dir, error);
  }
}

/** The folder a file template lists from: the path before its first segment with a token. */
export function listingRoot(template: string): string {
  const segments = template.split('/');
  const firstToken = segments.findIndex(hasTokens);
  return segments.slice(0, firstToken < 0 ? -1 : firstToken).join('/') || '/';
}

/**
 * Whether a folder exists: a backlog folder that is gone (a typo, an unmounted volume) must not
 * read as "empty, all fine".
 */
export async function folderExists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw unreadable(path, error);
  }
}

/** Backups on a local or mounted filesystem; directories may contain tokens too (`/b/{yyyy}/{MM}/`). */
export function fileStore(): BackupStore {
  return {
    find: (path, signal) => {
      signal.throwIfAborted();
      return statFile(path);
    },
    async list(template, signal) {
      const segments = template.split('/');
      const firstToken = segments.findIndex(hasTokens);
      if (firstToken < 0) {
        const only = await statFile(template);
        return { objects: only ? [only] : [], truncated: false };
      }
      const objects: BackupObject[] = [];
      let seen = 0;
      let truncated = false;
      // Every file below `dir`, subfolders included (symlinked folders are not followed: no loops).
      const everything = async (dir: string): Promise<void> => {
        signal.throwIfAborted();
        for (const entry of await entries(dir)) {
          if (++seen > maxEntries) {
            truncated = true;
            return;
          }
          const path = join(dir, entry.name);
          if (entry.isDirectory()) await everything(path);
          else {
            const found = await statFile(path);
            if (found) objects.push(found);
          }
          if (truncated) return;
        }
      };
      const walk = async (dir: string, rest: string[]): Promise<void> => {
        signal.throwIfAborted();
        const [segment, ...deeper] = rest;
        if (segment === undefined) return;
        if (segment === anyBelow && deeper.length === 0) return everything(dir);
        const pattern = templatePattern(segment);
        for (const entry of await entries(dir)) {
          if (++seen > maxEntries) {
            truncated = true;
            return;
          }
          if (!pattern.test(entry.name)) continue;
          const path = join(dir, entry.name);
          if (deeper.length > 0) {
            if (entry.isDirectory()) await walk(path, deeper);
          } else {
            const found = await statFile(path);
            if (found) objects.push(found);
          }
        }
      };
      await walk(segments.slice(0, firstToken).join('/') || '/', segments.slice(firstToken));
      return { objects, truncated };
    },
    close: () => {},
  };
}
