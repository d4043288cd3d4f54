import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll } from 'vitest';

export const s3TestCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface LoopbackS3 {
  readonly endpoint: string;
  readonly bucket: string;
  /** A client for arranging test data (not the code under test). */
  readonly client: S3Client;
  put(key: string, body: Buffer | string, modifiedAt?: Date): Promise<void>;
  close(): Promise<void>;
}

/**
 * s3rver on a loopback port with one bucket of a random name. s3rver reports an object's
 * LastModified from its file's mtime, so `put` can backdate objects.
 */
export async function startS3(): Promise<LoopbackS3> {
  const directory = await mkdtemp(join(tmpdir(), 'healthcheck-s3rver-'));
  const bucket = `backups-${randomBytes(4).toString('hex')}`;
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    // A copy: the SDK tags the credentials object it is given (`$source`).
    credentials: { ...s3TestCredentials },
    // s3rver predates the SDK's default CRC32 trailers on uploads.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    bucket,
    client,
    async put(key, body, modifiedAt) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      if (modifiedAt) {
        await utimes(join(directory, bucket, `${key}._S3rver_object`), modifiedAt, modifiedAt);
      }
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * One s3rver for the test file: started before its tests, stopped after. Returns a getter, since
 * the server exists only once `beforeAll` ran.
 */
export function useS3(): () => LoopbackS3 {
  let s3: LoopbackS3 | undefined;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(async () => {
    await s3?.close();
  });
  return () => {
    if (!s3) throw new Error('s3rver is not running (useS3 outside a test?)');
    return s3;
  };
}

/** An S3 client factory that records the config each client was built with. */
export function recordingS3Client(): {
  factory: (config: S3ClientConfig) => S3Client;
  seen: Record<string, unknown>[];
} {
  const seen: Record<string, unknown>[] = [];
  return {
    seen,
    factory: (config) => {
      seen.push({ ...config });
      return new S3Client(config);
    },
  };
}
