import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentials } from '../shared/aws-signing.ts';

export interface SigningRequest {
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly region: string;
  /** `aps` for Amazon Managed Prometheus. */
  readonly service: string;
  readonly credentials: AwsCredentials;
  readonly now?: Date;
}

/**
 * The request's headers plus a SigV4 signature over method, path, query and headers. The query
 * is taken from `url` as sent, so what AWS recomputes matches what was signed.
 */
export async function signRequest(request: SigningRequest): Promise<Record<string, string>> {
  const { url } = request;
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const signer = new SignatureV4({
    credentials: request.credentials,
    region: request.region,
    service: request.service,
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers: { ...request.headers, host: url.host },
    },
    request.now ? { signingDate: request.now } : {},
  );
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(signed.headers)) {
    // fetch sets Host itself from the URL.
    if (key.toLowerCase() !== 'host') headers[key] = String(value);
  }
  return headers;
}
