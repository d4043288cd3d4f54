import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describeS3Error, type S3ClientFactory, s3ClientConfig } from '../../s3/s3-client.ts';
import type { S3Access } from '../../s3/s3-fields.ts';
import { formatBytes } from '../../shared/format-bytes.ts';
import { CertificateFileError, type S3ObjectReader } from './certificate-file.ts';

/** Reads a certificate object with the check's S3 access (AWS, or MinIO with `endpoint`). */
export function s3CertificateReader(access: S3Access, factory: S3ClientFactory): S3ObjectReader {
  return async (location, maxBytes, signal) => {
    const where = `s3://${location.bucket}/${location.key}`;
    const client = factory(s3ClientConfig(access));
    try {
      const response = await client.send(
        new GetObjectCommand({ Bucket: location.bucket, Key: location.key }),
        { abortSignal: signal },
      );
      if (response.ContentLength !== undefined && response.ContentLength > maxBytes) {
        throw new CertificateFileError(
          `${where} is ${formatBytes(response.ContentLength)}; a certificate file is a few KB`,
        );
      }
      return (await response.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (error instanceof CertificateFileError) throw error;
      throw new CertificateFileError(describeS3Error('read', where, error), { cause: error });
    } finally {
      client.destroy();
    }
  };
}
