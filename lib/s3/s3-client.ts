import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Access } from './s3-fields.ts';

/** Builds the S3 client for one check run (tests inject one; the default is the SDK's). */
export type S3ClientFactory = (config: S3ClientConfig) => S3Client;

export const defaultS3Client: S3ClientFactory = (config) => new S3Client(config);

export function s3ClientConfig(access: S3Access): S3ClientConfig {
  return {
    region: access.region ?? process.env['AWS_REGION'] ?? 'us-east-1',
    ...(access.endpoint ? { endpoint: access.endpoint } : {}),
    forcePathStyle: access.forcePathStyle ?? access.endpoint !== undefined,
    ...(access.accessKeyId && access.secretAccessKey
      ? {
          credentials: {
            accessKeyId: access.accessKeyId,
            secretAccessKey: access.secretAccessKey,
          },
        }
      : {}),
    // The check's deadline bounds the whole run; one retry is enough inside it.
    maxAttempts: 2,
  };
}

interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

export function isS3NotFound(error: unknown): boolean {
  const e = error as SdkError | undefined;
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

/** `cannot read s3://b/k: AccessDenied: Access Denied (HTTP 403)` */
export function describeS3Error(action: string, where: string, error: unknown): string {
  const e = error as SdkError | undefined;
  const status = e?.$metadata?.httpStatusCode;
  const name = e?.name && e.name !== 'Error' ? `${e.name}: ` : '';
  return `cannot ${action} ${where}: ${name}${e?.message ?? String(error)}${status ? ` (HTTP ${status})` : ''}`;
}
