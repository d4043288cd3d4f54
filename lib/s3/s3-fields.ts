import * as z from 'zod';

/**
 * How a check reaches S3 or an S3-compatible store (MinIO): shared by every check that reads
 * `s3://` objects, so the fields, defaults and rules are the same everywhere. No SDK import here:
 * config parsing must stay light.
 */
export const s3AccessFields = {
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

export type S3Access = {
  readonly [K in keyof typeof s3AccessFields]?: z.output<(typeof s3AccessFields)[K]>;
};

const s3OnlyFields = Object.keys(s3AccessFields) as (keyof typeof s3AccessFields)[];

/**
 * The S3 fields' rules: they only apply when the check reads `s3://` (`what` it reads, for the
 * message: "only applies to s3:// locations"), and a key id needs its secret.
 */
export function refineS3Access(
  config: S3Access,
  ctx: z.RefinementCtx,
  readsS3: boolean,
  what: string,
): void {
  if (!readsS3) {
    for (const field of s3OnlyFields) {
      if (config[field] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `only applies to s3:// ${what}`,
        });
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

/** `s3://bucket/key` split; undefined when the text is not an s3:// URL. */
export function parseS3Url(url: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  return match ? { bucket: match[1] ?? '', key: match[2] ?? '' } : undefined;
}

/**
 * The bucket and key prefix a check reads through AWS S3 itself, for the runner's IAM grant;
 * undefined for an S3-compatible store with its own `endpoint` (it uses its own credentials).
 */
export function awsS3Read(
  url: string,
  access: S3Access,
): { bucket: string; prefix: string } | undefined {
  if (access.endpoint !== undefined) return undefined;
  const parsed = parseS3Url(url);
  if (!parsed?.bucket) return undefined;
  const token = parsed.key.indexOf('{');
  return { bucket: parsed.bucket, prefix: token < 0 ? parsed.key : parsed.key.slice(0, token) };
}
