import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { StatusPageStorage } from './publish-status-page.ts';
import { statusPageCacheControl } from './status-page-names.ts';

/** The status page bucket through the AWS SDK (a private bucket; CloudFront reads it with OAC). */
export class S3PageStorage implements StatusPageStorage {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(options: { client: S3Client; bucket: string }) {
    this.#client = options.client;
    this.#bucket = options.bucket;
  }

  async read(key: string, signal?: AbortSignal): Promise<string | undefined> {
    try {
      const out = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: key }),
        {
          abortSignal: signal,
        },
      );
      return (await out.Body?.transformToString('utf-8')) ?? undefined;
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return undefined;
      throw error;
    }
  }

  async write(key: string, body: string, contentType: string, signal?: AbortSignal): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        CacheControl: statusPageCacheControl,
      }),
      { abortSignal: signal },
    );
  }
}
