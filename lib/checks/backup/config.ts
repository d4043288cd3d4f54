import * as z from 'zod';
import { ByteSize, byteCount, Duration, durationSeconds } from '../../config/fields.ts';
import { refineS3Access, s3AccessFields } from '../../s3/s3-fields.ts';
import type { CheckConfigFor } from '../plugin.ts';
import { parseLocation } from './location.ts';

export const backupModes = ['latest', 'backlog'] as const;

/** A limit as one value (crossing it is critical) or as warning and critical levels. */
function limit<T extends z.ZodType>(value: T, what: string) {
  return z
    .union([
      value,
      z.strictObject({
        warning: value.optional().describe(`Warn above this ${what}`),
        critical: value.optional().describe(`Critical above this ${what}`),
      }),
    ])
    .optional();
}

export const backupFields = {
  location: z
    .string()
    .min(1)
    .describe(
      'file:///dir/name_{yyyyMMdd}.gz or s3://bucket/key_{yyyyMMdd}.gz; tokens {yyyyMMdd} {yyyy} {MM} {dd} (config time zone), {*} any text in one path segment; a trailing / picks the newest entry under it (mode backlog: every entry under it, subfolders too)',
    ),
  mode: z
    .enum(backupModes)
    .default('latest')
    .describe(
      'latest: the expected backup exists, is fresh and big enough; backlog: what piles up under location (pending/ objects, old logs) stays within maxCount, maxOldestAge and maxTotalBytes',
    ),
  maxCount: limit(z.int().min(0), 'number of entries').describe(
    'mode backlog: entries allowed, e.g. 100 or {warning: 10, critical: 100}',
  ),
  maxOldestAge: limit(Duration, 'age of the oldest entry').describe(
    'mode backlog: age the oldest entry may reach, e.g. 30d (logs not cleaned up) or {warning: 30m, critical: 2h}',
  ),
  maxTotalBytes: limit(ByteSize, 'total size').describe(
    'mode backlog: total size allowed, e.g. 5GiB or {warning: 1GB, critical: 5GB}',
  ),
  maxAgeHours: z.number().positive().default(26).describe('Critical when the backup is older'),
  minBytes: z.int().min(0).default(1).describe('Critical when the backup is smaller'),
  dayOffset: z
    .int()
    .min(-366)
    .max(0)
    .default(0)
    .describe("Shift the date tokens by this many days (-1: yesterday, for last night's backup)"),
  // On by default: a dump that silently shrank to 4% of its usual size is the classic backup
  // failure, and "exists, not empty, recent" alone reports it ok.
  sizeDeviation: z
    .union([z.number().positive(), z.literal(false)])
    .default(0.5)
    .describe(
      'Warn when the size differs from the median of previous backups by more than this fraction (0.5 = 50%, the default); false turns the comparison off',
    ),
  historyCount: z
    .int()
    .min(1)
    .max(100)
    .default(7)
    .describe('Previous backups whose median size is compared against'),
  ...s3AccessFields,
};

export type BackupCheckConfig = CheckConfigFor<typeof backupFields>;

export function refineBackupConfig(
  config: z.output<z.ZodObject<typeof backupFields>>,
  ctx: z.RefinementCtx,
): void {
  let scheme: string | undefined;
  try {
    scheme = parseLocation(config.location).scheme;
  } catch (error) {
    ctx.addIssue({ code: 'custom', path: ['location'], message: (error as Error).message });
  }
  refineS3Access(config, ctx, scheme !== 'file', 'locations');
  refineMode(config, ctx);
}

const backlogLimits = ['maxCount', 'maxOldestAge', 'maxTotalBytes'] as const;

export interface Levels {
  readonly warning?: number;
  readonly critical?: number;
}

/** A limit's levels in one unit (entries, milliseconds, bytes); a bare value is the critical one. */
export function levelsOf<T>(
  value: T | { warning?: T; critical?: T } | undefined,
  toNumber: (v: T) => number,
): Levels | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'object' && value !== null) {
    const { warning, critical } = value as { warning?: T; critical?: T };
    return {
      ...(warning !== undefined ? { warning: toNumber(warning) } : {}),
      ...(critical !== undefined ? { critical: toNumber(critical) } : {}),
    };
  }
  return { critical: toNumber(value as T) };
}

export const ageMsOf = (duration: string): number => durationSeconds(duration) * 1000;

function refineMode(
  config: z.output<z.ZodObject<typeof backupFields>>,
  ctx: z.RefinementCtx,
): void {
  if (config.mode === 'latest') {
    for (const field of backlogLimits) {
      if (config[field] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'only applies to mode: backlog' });
      }
    }
    return;
  }
  if (backlogLimits.every((field) => config[field] === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['mode'],
      message: 'backlog needs at least one of maxCount, maxOldestAge, maxTotalBytes',
    });
  }
  const converters = {
    maxCount: (v: number) => v,
    maxOldestAge: ageMsOf,
    maxTotalBytes: byteCount,
  };
  for (const field of backlogLimits) {
    const raw = config[field];
    if (typeof raw !== 'object' || raw === null) continue;
    const convert = converters[field] as (v: unknown) => number;
    const { warning, critical } = raw as { warning?: unknown; critical?: unknown };
    if (warning === undefined && critical === undefined) {
      ctx.addIssue({ code: 'custom', path: [field], message: 'give warning, critical or both' });
      continue;
    }
    if (warning !== undefined && critical !== undefined && convert(warning) > convert(critical)) {
      ctx.addIssue({
        code: 'custom',
        path: [field, 'warning'],
        message: `must not exceed ${field}.critical (${String(critical)})`,
      });
    }
  }
}
