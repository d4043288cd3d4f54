import { z } from 'zod';
import { refineS3Access, s3AccessFields } from '../../s3/s3-fields.ts';
import type { CheckConfigFor } from '../plugin.ts';
import { parseLocation } from './location.ts';

export const backupFields = {
  location: z
    .string()
    .min(1)
    .describe(
      'file:///dir/name_{yyyyMMdd}.gz or s3://bucket/key_{yyyyMMdd}.gz; tokens {yyyyMMdd} {yyyy} {MM} {dd} (config time zone), {*} any text in one path segment; a trailing / picks the newest entry under it',
    ),
  maxAgeHours: z.number().positive().default(26).describe('Critical when the backup is older'),
  minBytes: z.int().min(0).default(1).describe('Critical when the backup is smaller'),
  dayOffset: z
    .int()
    .min(-366)
    .max(0)
    .default(0)
    .describe("Shift the date tokens by this many days (-1: yesterday, for last night's backup)"),
  sizeDeviation: z
    .number()
    .positive()
    .optional()
    .describe(
      'Warn when the size differs from the median of previous backups by more than this fraction (0.5 = 50%)',
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
}
