import { formatBytes } from '../../shared/format-bytes.ts';
import { formatDuration } from '../../shared/format-duration.ts';
import { formatZonedTime } from '../../shared/format-time.ts';
import type { BackupObject } from './backup-store.ts';

const hourMs = 3_600_000;

/** What a listing without Size or LastModified says instead of a false "0 B" or "1970". */
export const noSizeOrDate = 'S3 reported no size or date';

/** An object whose size and date are both known: only these can be judged. */
export interface KnownObject extends BackupObject {
  readonly sizeBytes: number;
  readonly modifiedAt: Date;
}

export const isKnown = (object: BackupObject): object is KnownObject =>
  object.sizeBytes !== undefined && object.modifiedAt !== undefined;

export const ageMs = (object: BackupObject, now: Date): number | undefined =>
  object.modifiedAt === undefined ? undefined : now.getTime() - object.modifiedAt.getTime();

/** `4.0 KiB, modified 2026-11-22 08:00 +07:00 (3.0 h ago)`, the time in the config's zone. */
export function describeObject(object: BackupObject, now: Date, timeZone = 'UTC'): string {
  if (!isKnown(object)) return noSizeOrDate;
  return `${formatBytes(object.sizeBytes)}, modified ${formatZonedTime(object.modifiedAt, timeZone)} (${formatDuration(now.getTime() - object.modifiedAt.getTime(), 'hours')} ago)`;
}

/** Result details of one object; a fact the store did not report is `null`, never 0 or 1970. */
export function objectDetails(object: BackupObject, now: Date) {
  const age = ageMs(object, now);
  return {
    location: object.location,
    sizeBytes: object.sizeBytes ?? null,
    modifiedAt: object.modifiedAt?.toISOString() ?? null,
    ageHours: age === undefined ? null : Math.round((age / hourMs) * 10) / 10,
  };
}

const time = (object: BackupObject): number =>
  object.modifiedAt?.getTime() ?? Number.NEGATIVE_INFINITY;

/** Newest first; objects without a date sort last (they cannot be "the newest"). */
export const newestFirst = (a: BackupObject, b: BackupObject): number =>
  time(b) - time(a) || b.key.localeCompare(a.key);
