/** One backup file or object as found. */
export interface BackupObject {
  /** Human-readable location: `file:///backups/x.gz` or `s3://bucket/key`. */
  readonly location: string;
  /** Path (file) or key (s3) matched against templates. */
  readonly key: string;
  /** Undefined when the store did not say (some S3-compatible stores omit Size). */
  readonly sizeBytes: number | undefined;
  /** Undefined when the store did not say (no LastModified). */
  readonly modifiedAt: Date | undefined;
}

export interface Listing {
  readonly objects: BackupObject[];
  /** The listing stopped at its safety limit; history may be incomplete. */
  readonly truncated: boolean;
}

/** Where backups live: a directory tree or an S3 bucket. */
export interface BackupStore {
  /** The object at exactly `key`, or undefined when it does not exist. */
  find(key: string, signal: AbortSignal): Promise<BackupObject | undefined>;
  /** Every object whose key matches `pattern` (a template with tokens). */
  list(template: string, signal: AbortSignal): Promise<Listing>;
  close(): void;
}

/** The store could not be read (permissions, network, missing bucket): the check is `unknown`. */
export class BackupStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackupStoreError';
  }
}
