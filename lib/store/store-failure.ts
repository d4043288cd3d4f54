import { sqliteFailure, sqliteReason } from './sqlite.ts';
import {
  StoreBusyError,
  StoreDamagedError,
  type StoreError,
  StoreNotADirectoryError,
  StoreReadOnlyError,
  StoreUnavailableError,
} from './store-errors.ts';

export interface FailureContext {
  /** The file (or directory) being used. */
  readonly path: string;
  readonly stateDir: string;
  /** How long a lock was waited for, for the busy message. */
  readonly waitedMs: number;
}

const freeSpace = 'free some disk space, then run the command again';

/**
 * Turns what SQLite or the file system threw into the one-line StoreError the CLI prints, or
 * returns undefined for anything else (a bug stays a bug: exit 70).
 */
export function storeFailure(error: unknown, at: FailureContext): StoreError | undefined {
  if (error instanceof Error && 'problem' in error && 'recovery' in error) {
    return error as StoreError;
  }
  const failure = sqliteFailure(error);
  const reason = sqliteReason(error);
  switch (failure) {
    case 'busy':
      return new StoreBusyError(at.path, 'another healthcheck process', at.waitedMs, at.stateDir);
    case 'corrupt':
    case 'io':
      return new StoreDamagedError(at.path, at.stateDir, reason);
    case 'read-only':
      return new StoreReadOnlyError(at.path, reason);
    case 'full':
      return new StoreUnavailableError(at.path, 'the disk is full', freeSpace);
    case 'permission':
      return new StoreUnavailableError(at.path, reason, 'check the permissions of the state dir');
    case 'cannot-open':
      // SQLite says only "unable to open database file"; the file system says why.
      return undefined;
    default:
      break;
  }
  return fileSystemFailure(error, at);
}

/** ENOENT and friends from mkdir/stat/rename on the state dir. */
export function fileSystemFailure(error: unknown, at: FailureContext): StoreError | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  const detail = (error as Error).message;
  switch (code) {
    case 'EROFS':
      return new StoreReadOnlyError(at.path, 'read-only file system');
    case 'EACCES':
    case 'EPERM':
      return new StoreReadOnlyError(at.path, 'permission denied');
    case 'ENOTDIR':
    case 'EEXIST':
      return new StoreNotADirectoryError(at.path);
    case 'ENOSPC':
    case 'EDQUOT':
      return new StoreUnavailableError(at.path, 'the disk is full', freeSpace);
    case 'EIO':
      return new StoreUnavailableError(at.path, detail, 'check the disk (dmesg), then run again');
    default:
      return undefined;
  }
}
