import { z } from 'zod';
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
  endpoint: z.url().optional().describe('S3-compatible endpoint (MinIO), e.g. http://minio:9000'),
  region: z.string().min(1).optional().describe('S3 region (default AWS_REGION or us-east-1)'),
  forcePathStyle: z
    .boolean()
    .optional()
    .describe('Path-style S3 URLs (default true when endpoint is set, as MinIO needs)'),
  accessKeyId: z
    .string()
    .min(1)
    .optional()
    .describe('S3 access key (default: AWS credential chain)'),
  secretAccessKey: z
    .string()
    .min(1)
    .optional()
    .describe('S3 secret key, e.g. ${secret:minio/backup-reader}'),
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
  if (scheme === 'file') {
    for (const field of [
      'endpoint',
      'region',
      'forcePathStyle',
      'accessKeyId',
      'secretAccessKey',
    ] as const) {
      if (config[field] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'only applies to s3:// locations' });
      }
    }
  }
  if ((config.accessKeyId === undefined) !== (config.secretAccessKey === undefined)) {
    const missing = config.accessKeyId === undefined ? 'accessKeyId' : 'secretAccessKey';
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: 'accessKeyId and secretAccessKey go together',
    });
  }
}
