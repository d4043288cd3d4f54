import type { CheckOutcome } from '../../core/result.ts';
import type { Status } from '../../core/status.ts';
import { formatBytes } from '../../shared/format-bytes.ts';
import { formatDuration } from '../../shared/format-duration.ts';
import { formatZonedTime } from '../../shared/format-time.ts';
import type { BackupObject, Listing } from './backup-store.ts';

export interface BackupFindings {
  /** The location after date tokens were filled in (may still contain `{*}`). */
  readonly expected: string;
  /** The location as configured, with tokens: what "previous backups" means. */
  readonly series: string;
  readonly current: BackupObject | undefined;
  /** Other backups of the same series (every date), when they were listed. */
  readonly history: Listing | undefined;
  readonly now: Date;
  /** Modification times in summaries are shown in this zone. @default 'UTC' */
  readonly timeZone?: string;
}

export interface BackupLimits {
  readonly maxAgeHours: number;
  readonly minBytes: number;
  /** `false` or unset: no comparison with the median. */
  readonly sizeDeviation?: number | false;
  readonly historyCount: number;
}

const hourMs = 3_600_000;

function describe(object: BackupObject, now: Date, timeZone = 'UTC'): string {
  return `${formatBytes(object.sizeBytes)}, modified ${formatZonedTime(object.modifiedAt, timeZone)} (${formatDuration(now.getTime() - object.modifiedAt.getTime(), 'hours')} ago)`;
}

function objectDetails(object: BackupObject, now: Date) {
  return {
    location: object.location,
    sizeBytes: object.sizeBytes,
    modifiedAt: object.modifiedAt.toISOString(),
    ageHours: Math.round(((now.getTime() - object.modifiedAt.getTime()) / hourMs) * 10) / 10,
  };
}

const newestFirst = (a: BackupObject, b: BackupObject): number =>
  b.modifiedAt.getTime() - a.modifiedAt.getTime() || b.key.localeCompare(a.key);

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

/** Newest first, so a `{*}` template picks the latest of the day's matches. */
export function newest(objects: readonly BackupObject[]): BackupObject | undefined {
  return [...objects].sort(newestFirst)[0];
}

/**
 * Missing, stale or too small is `critical`; a size far from the median of the previous backups
 * (the silent 90% shrink of a half-failed dump) is `warning`. The summary names the expected
 * location and what was actually found.
 */
export function evaluateBackup(findings: BackupFindings, limits: BackupLimits): CheckOutcome {
  const { current, history, now } = findings;
  const base = {
    expected: findings.expected,
    maxAgeHours: limits.maxAgeHours,
    minBytes: limits.minBytes,
    ...(history?.truncated ? { listingTruncated: true } : {}),
  };

  if (!current) {
    const latest = newest(history?.objects ?? []);
    const found = latest
      ? `newest backup found is ${latest.location} (${describe(latest, now, findings.timeZone)})`
      : `no backup matching ${findings.series} found at all`;
    return {
      status: 'critical',
      summary: `expected backup ${findings.expected} not found; ${found}`,
      details: { ...base, found: null, ...(latest ? { newest: objectDetails(latest, now) } : {}) },
    };
  }

  const problems: string[] = [];
  let status: Status = 'ok';
  const ageMs = now.getTime() - current.modifiedAt.getTime();
  if (ageMs > limits.maxAgeHours * hourMs) {
    problems.push(`is ${formatDuration(ageMs, 'hours')} old (limit ${limits.maxAgeHours} h)`);
    status = 'critical';
  }
  const previous = (history?.objects ?? [])
    .filter((o) => o.key !== current.key)
    .sort(newestFirst)
    .slice(0, limits.historyCount);
  const medianBytes = median(previous.map((o) => o.sizeBytes));
  const against =
    medianBytes === undefined
      ? ''
      : `the median of the previous ${previous.length} backup${previous.length === 1 ? '' : 's'} (${formatBytes(medianBytes)})`;
  const tooSmall = current.sizeBytes < limits.minBytes;
  if (tooSmall) {
    // The size is said once; the median, when known, is the context that makes it alarming.
    const size =
      current.sizeBytes === 0
        ? 'is empty (0 B)'
        : `is ${formatBytes(current.sizeBytes)} (minimum ${limits.minBytes} B)`;
    const usual =
      medianBytes === undefined
        ? ''
        : `, while the previous ${previous.length} had a median of ${formatBytes(medianBytes)}`;
    problems.push(`${size}${usual}`);
    status = 'critical';
  }

  let deviation: number | undefined;
  let comparison = '';
  if (medianBytes !== undefined && medianBytes > 0) {
    deviation = (current.sizeBytes - medianBytes) / medianBytes;
    const percent = Math.round(Math.abs(deviation) * 100);
    const allowed = limits.sizeDeviation;
    if (typeof allowed === 'number' && Math.abs(deviation) > allowed) {
      if (!tooSmall) {
        problems.push(
          `is ${formatBytes(current.sizeBytes)}, ${percent}% ${deviation < 0 ? 'smaller' : 'larger'} than ${against}; allowed ${Math.round(allowed * 100)}%`,
        );
      }
      if (status === 'ok') status = 'warning';
    } else {
      comparison = `; median of the previous ${previous.length}: ${formatBytes(medianBytes)}`;
    }
  }

  const name =
    current.location === findings.expected
      ? current.location
      : `${current.location} (newest match for ${findings.expected})`;
  const summary =
    problems.length > 0
      ? `backup ${name} ${problems.join('; ')}`
      : `backup ${name}: ${describe(current, now, findings.timeZone)}${comparison}`;

  return {
    status,
    summary,
    details: {
      ...base,
      found: objectDetails(current, now),
      ...(medianBytes !== undefined
        ? {
            history: {
              count: previous.length,
              medianBytes,
              ...(deviation !== undefined
                ? { deviation: Math.round(deviation * 1000) / 1000 }
                : {}),
              ...(typeof limits.sizeDeviation === 'number'
                ? { sizeDeviation: limits.sizeDeviation }
                : {}),
            },
          }
        : {}),
    },
  };
}
