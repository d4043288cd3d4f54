/**
 * A loopback S3-compatible endpoint that, like some S3-compatible stores, lists keys without
 * `Size` or `LastModified` and answers HEAD without `Content-Length` or `Last-Modified`. s3rver
 * always reports both, so this is the one way to see what the backup check does without them.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SparseS3 {
  readonly endpoint: string;
  close(): Promise<void>;
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startSparseS3(bucket: string, keys: readonly string[]): Promise<SparseS3> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const [, pathBucket = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    if (pathBucket !== bucket) {
      response.writeHead(404, { 'content-type': 'application/xml' });
      response.end('<Error><Code>NoSuchBucket</Code><Message>no such bucket</Message></Error>');
      return;
    }
    if (request.method === 'HEAD') {
      // Chunked, so Node sends no Content-Length; nothing else describes the object.
      response.writeHead(keys.includes(key) ? 200 : 404, { 'transfer-encoding': 'chunked' });
      response.end();
      return;
    }
    const prefix = url.searchParams.get('prefix') ?? '';
    const contents = keys
      .filter((k) => k.startsWith(prefix))
      .map((k) => `<Contents><Key>${escapeXml(k)}</Key></Contents>`)
      .join('');
    response.writeHead(200, { 'content-type': 'application/xml' });
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${bucket}</Name><Prefix>${escapeXml(prefix)}</Prefix><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
