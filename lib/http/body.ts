import { formatBytes } from '../shared/format-bytes.ts';
import { HttpRequestError } from './errors.ts';

/** Default read limit for a response body: 1 MiB. */
export const defaultMaxBodyBytes = 1024 * 1024;

/**
 * Reads the body up to `maxBytes`, then stops and cancels the stream: a 2 GB log file answered to a
 * health check must not fill the Lambda's memory. `onBytes` tracks progress for timeout messages.
 */
export async function readBoundedBody(
  response: Response,
  maxBytes: number,
  endpoint: string,
  onBytes: (total: number) => void,
): Promise<Buffer> {
  const limit = `the ${formatBytes(maxBytes)} read limit (maxBodyBytes)`;
  const tooLarge = (what: string): HttpRequestError =>
    new HttpRequestError('too-large', endpoint, `${what} ${limit}`);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(`body is ${formatBytes(declared)} (Content-Length), over`);
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    onBytes(total);
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge('body is larger than');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
