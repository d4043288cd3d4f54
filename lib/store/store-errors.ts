import { formatDuration } from '../shared/format-duration.ts';

/**
 * Why the local store cannot be used, as one line that names the path, what is wrong and the
 * command that recovers it. The CLI maps these to exit codes of their own (74, 75): an
 * environment problem is neither a check status (0-3) nor a bug (70).
 */
export type StoreProblem =
  | 'damaged'
  | 'missing'
  | 'read-only'
  | 'not-a-directory'
  | 'unavailable'
  | 'busy'
  | 'newer-format';

export class StoreError extends Error {
  /** The file or directory at fault. */
  readonly path: string;
  readonly problem: StoreProblem;
  /** What to do about it: a command where one helps. */
  readonly recovery: string;

  constructor(problem: StoreProblem, path: string, what: string, recovery: string) {
    super(`store ${path} ${what}; ${recovery}`);
    this.name = 'StoreError';
    this.problem = problem;
    this.path = path;
    this.recovery = recovery;
  }
}

/** The doctor command for a state dir, quoted as the user would type it. */
export function doctorCommand(stateDir: string): string {
  return `healthcheck doctor --state-dir ${shellQuote(stateDir)}`;
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

export class StoreDamagedError extends StoreError {
  constructor(path: string, stateDir: string, detail: string) {
    super(
      'damaged',
      path,
      `is damaged (${detail})`,
      `run \`${doctorCommand(stateDir)}\` to repair it (it keeps what it can)`,
    );
    this.name = 'StoreDamagedError';
  }
}

export class StoreMissingError extends StoreError {
  constructor(path: string, what: string, recovery: string) {
    super('missing', path, what, recovery);
    this.name = 'StoreMissingError';
  }
}

/**
 * A read-only command named a state dir that does not exist: most often a mistyped
 * `--state-dir`, so the CLI treats it as a usage error (64), not as a broken store (74).
 */
export class StateDirNotFoundError extends StoreMissingError {
  constructor(stateDir: string) {
    super(
      stateDir,
      'does not exist (no run has recorded anything there)',
      'run `healthcheck run` with this --state-dir first, or pass the --state-dir your runs use',
    );
    this.name = 'StateDirNotFoundError';
    this.message = `no state directory at ${stateDir} (no run has recorded anything there); ${this.recovery}`;
  }
}

export class StoreReadOnlyError extends StoreError {
  constructor(path: string, detail: string) {
    super(
      'read-only',
      path,
      `cannot be written (${detail})`,
      'make it writable for this user, or pass --state-dir DIR (or HEALTHCHECK_STATE_DIR) to use another directory',
    );
    this.name = 'StoreReadOnlyError';
  }
}

export class StoreNotADirectoryError extends StoreError {
  constructor(path: string) {
    super(
      'not-a-directory',
      path,
      'is not a directory',
      'move that file away, or pass --state-dir DIR (or HEALTHCHECK_STATE_DIR) to use another directory',
    );
    this.name = 'StoreNotADirectoryError';
  }
}

/** Disk full, permission denied, an I/O error from the OS: the machine, not the store's content. */
export class StoreUnavailableError extends StoreError {
  constructor(path: string, detail: string, recovery: string) {
    super('unavailable', path, `cannot be used (${detail})`, recovery);
    this.name = 'StoreUnavailableError';
  }
}

/** Another process holds the lock for longer than this one may wait. Exit 75: try again later. */
export class StoreBusyError extends StoreError {
  constructor(path: string, holder: string, waitedMs: number, stateDir: string) {
    super(
      'busy',
      path,
      `is locked by ${holder} (waited ${formatDuration(waitedMs)})`,
      `try again when it has finished; \`${doctorCommand(stateDir)}\` shows what the store holds`,
    );
    this.name = 'StoreBusyError';
  }
}

export class StoreNewerFormatError extends StoreError {
  constructor(path: string, detail: string) {
    super(
      'newer-format',
      path,
      `was written by a newer healthcheck (${detail})`,
      'upgrade healthcheck, or pass --state-dir DIR to start a separate store',
    );
    this.name = 'StoreNewerFormatError';
  }
}
