import type { CheckOutcome } from '../../core/result.ts';
import { type Status, worstStatus } from '../../core/status.ts';
import { formatBytes } from '../../shared/format-bytes.ts';
import { formatDuration } from '../../shared/format-duration.ts';
import { levelOf } from '../../shared/threshold.ts';
import { ageMs, newestFirst, noSizeOrDate, objectDetails } from './backup-object.ts';
import type { BackupObject, Listing } from './backup-store.ts';
import type { Levels } from './config.ts';

export interface BacklogLimits {
  readonly maxCount?: Levels;
  /** Milliseconds. */
  readonly maxOldestAge?: Levels;
  readonly maxTotalBytes?: Levels;
  /** How the config wrote each limit ("30d", "5GiB"), for messages. */
  readonly written: {
    readonly maxCount?: unknown;
    readonly maxOldestAge?: unknown;
    readonly maxTotalBytes?: unknown;
  };
}

export interface BacklogFindings {
  /** The listed location as configured (`s3://fulfillment-artifacts/pending/`). */
  readonly where: string;
  /** Key or path prefix the entries are named relative to. */
  readonly root: string;
  readonly listing: Listing;
  readonly now: Date;
}

/** Entries listed in the details, oldest first, so on-call sees what to move or delete. */
const listed = 10;

/** Above a level is over it ("more than 10 entries"). */
const levelStatus = (value: number, levels: Levels | undefined): Status =>
  levels ? levelOf(value, { op: '>', ...levels }) : 'ok';

/** `(critical above 10)` after a measure that crossed its limit. */
function crossed(status: Status, written: unknown): string {
  if (status === 'ok') return '';
  const text =
    typeof written === 'object' && written !== null
      ? String((written as Record<string, unknown>)[status])
      : String(written);
  return ` (${status} above ${text})`;
}

const entries = (count: number): string => `${count} ${count === 1 ? 'entry' : 'entries'}`;

/**
 * A backlog under a prefix: how many entries, how old the oldest, how big in all, each against
 * its limit (the worst wins). The summary names the oldest and the biggest entries, which are
 * what on-call moves or deletes first. A listing cut short gives lower bounds, said as such.
 */
export function evaluateBacklog(findings: BacklogFindings, limits: BacklogLimits): CheckOutcome {
  const { listing, now, where } = findings;
  const objects = listing.objects;
  const name = (o: BackupObject): string =>
    o.key.startsWith(findings.root) && o.key.length > findings.root.length
      ? o.key.slice(findings.root.length)
      : o.key;
  const sized = objects.filter((o) => o.sizeBytes !== undefined);
  const dated = objects.filter((o) => o.modifiedAt !== undefined);
  const totalBytes = sized.reduce((sum, o) => sum + (o.sizeBytes ?? 0), 0);
  const byAge = [...dated].sort(newestFirst).reverse();
  const oldest = byAge[0];
  const oldestAgeMs = oldest ? (ageMs(oldest, now) ?? 0) : 0;
  const biggest = [...sized].sort((a, b) => (b.sizeBytes ?? 0) - (a.sizeBytes ?? 0))[0];
  const atLeast = listing.truncated ? 'at least ' : '';

  const countStatus = levelStatus(objects.length, limits.maxCount);
  const ageStatus = levelStatus(oldestAgeMs, limits.maxOldestAge);
  const bytesStatus = levelStatus(totalBytes, limits.maxTotalBytes);
  const statuses: Status[] = [countStatus, ageStatus, bytesStatus];
  const unreported = objects.length - Math.min(sized.length, dated.length);
  // A limit that needs sizes or dates the store did not report cannot be judged as ok.
  const unjudged =
    (limits.maxOldestAge !== undefined &&
      dated.length < objects.length &&
      ageStatus !== 'critical') ||
    (limits.maxTotalBytes !== undefined &&
      sized.length < objects.length &&
      bytesStatus !== 'critical');
  if (unjudged) statuses.push('unknown');
  // Entries beyond the listing's limit may push any measure further: never call that ok.
  if (listing.truncated) statuses.push('warning');
  const status = worstStatus(statuses);

  let summary: string;
  if (objects.length === 0) {
    summary = `backlog ${where} is empty`;
  } else {
    const measures = [
      `${atLeast}${entries(objects.length)}${crossed(countStatus, limits.written.maxCount)}`,
      sized.length === 0
        ? 'total size unknown'
        : `${sized.length < objects.length ? 'at least ' : atLeast}${formatBytes(totalBytes)} in all${crossed(bytesStatus, limits.written.maxTotalBytes)}`,
    ];
    const named: string[] = [];
    if (oldest) {
      named.push(
        `oldest ${name(oldest)}, ${formatDuration(oldestAgeMs, 'hours')} old${crossed(ageStatus, limits.written.maxOldestAge)}`,
      );
    }
    if (biggest) {
      named.push(
        biggest === oldest
          ? `the biggest too (${formatBytes(biggest.sizeBytes ?? 0)})`
          : `biggest ${name(biggest)}, ${formatBytes(biggest.sizeBytes ?? 0)}`,
      );
    }
    const missing = unreported > 0 ? `; ${noSizeOrDate} for ${entries(unreported)}` : '';
    const cut = listing.truncated ? '; listing stopped at its limit, figures are lower bounds' : '';
    const namedText = named.length > 0 ? `; ${named.join(', ')}` : '';
    summary = `backlog ${where}: ${measures.join(', ')}${namedText}${missing}${cut}`;
  }

  return {
    status,
    summary,
    details: {
      mode: 'backlog',
      location: where,
      count: objects.length,
      totalBytes,
      ...(oldest ? { oldest: objectDetails(oldest, now) } : {}),
      ...(biggest ? { biggest: objectDetails(biggest, now) } : {}),
      oldestEntries: byAge.slice(0, listed).map((o) => objectDetails(o, now)),
      limits: {
        ...(limits.written.maxCount !== undefined ? { maxCount: limits.written.maxCount } : {}),
        ...(limits.written.maxOldestAge !== undefined
          ? { maxOldestAge: limits.written.maxOldestAge }
          : {}),
        ...(limits.written.maxTotalBytes !== undefined
          ? { maxTotalBytes: limits.written.maxTotalBytes }
          : {}),
      },
      ...(unreported > 0 ? { withoutSizeOrDate: unreported } : {}),
      ...(listing.truncated ? { listingTruncated: true } : {}),
    },
  };
}
