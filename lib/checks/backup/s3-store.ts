import {
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { type BackupObject, type BackupStore, BackupStoreError } from './backup-store.ts';
import type { BackupCheckConfig } from './config.ts';
import { literalPrefix, templatePattern } from './location.ts';

/** 20 pages of 1000 keys: years of nightly backups under one prefix. */
const maxPages = 20;

export type S3ClientFactory = (config: S3ClientConfig) => S3Client;

export const defaultS3Client: S3ClientFactory = (config) => new S3Client(config);

export function s3ClientConfig(config: BackupCheckConfig): S3ClientConfig {
  return {
    region: config.region ?? process.env['AWS_REGION'] ?? 'us-east-1',
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle ?? config.endpoint !== undefined,
    ...(config.accessKeyId && config.secretAccessKey
      ? {
          credentials: {
            accessKeyId: config.accessKeyId,
            secretAccessKey: config.secretAccessKey,
          },
        }
      : {}),
    // The check's deadline bounds the whole run; one retry is enough inside it.
    maxAttempts: 2,
  };
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

function storeError(action: string, where: string, error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  const name = e?.name && e.name !== 'Error' ? `${e.name}: ` : '';
  return new BackupStoreError(
    `cannot ${action} ${where}: ${name}${e?.message ?? String(error)}${status ? ` (HTTP ${status})` : ''}`,
    { cause: error },
  );
}

/** Backups in an S3 bucket (AWS or S3-compatible such as MinIO). */
export function s3Store(bucket: string, client: S3Client): BackupStore {
  const where = (key: string): string => `s3://${bucket}/${key}`;
  return {
    async find(key, signal) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), {
          abortSignal: signal,
        });
        return {
          location: where(key),
          key,
          // Missing facts stay missing: 0 B or 1970 would read as a broken backup.
          sizeBytes: head.ContentLength,
          modifiedAt: head.LastModified,
        };
      } catch (error) {
        if (isNotFound(error) && !signal.aborted) return undefined;
        throw storeError('read', where(key), error, signal);
      }
    },
    async list(template, signal) {
      const prefix = literalPrefix(template);
      const pattern = templatePattern(template);
      const objects: BackupObject[] = [];
      let token: string | undefined;
      for (let page = 0; page < maxPages; page++) {
        let response: ListObjectsV2CommandOutput;
        try {
          response = await client.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: prefix,
              ...(token ? { ContinuationToken: token } : {}),
            }),
            { abortSignal: signal },
          );
        } catch (error) {
          throw storeError('list', where(prefix), error, signal);
        }
        for (const item of response.Contents ?? []) {
          if (!item.Key || !pattern.test(item.Key)) continue;
          objects.push({
            location: where(item.Key),
            key: item.Key,
            sizeBytes: item.Size,
            modifiedAt: item.LastModified,
          });
        }
        token = response.IsTruncated ? response.NextContinuationToken : undefined;
        if (!token) return { objects, truncated: false };
      }
      return { objects, truncated: true };
    },
    close: () => client.destroy(),
  };
}
