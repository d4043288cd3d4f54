import {
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describeS3Error, isS3NotFound } from '../../s3/s3-client.ts';
import { type BackupObject, type BackupStore, BackupStoreError } from './backup-store.ts';
import { literalPrefix, templatePattern } from './location.ts';

/** 20 pages of 1000 keys: years of nightly backups under one prefix. */
const maxPages = 20;

function storeError(action: string, where: string, error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  return new BackupStoreError(describeS3Error(action, where, error), { cause: error });
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
        if (isS3NotFound(error) && !signal.aborted) return undefined;
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
