import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { type AwsCredentials, escapeUri } from '../shared/aws-signing.ts';

export type { AwsCredentials, AwsCredentialsProvider } from '../shared/aws-signing.ts';

export interface EksTokenRequest {
  readonly clusterName: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  /** Signing time; injected so tests get a stable signature. */
  readonly now: Date;
}

const tokenPrefix = 'k8s-aws-v1.';
/** aws-iam-authenticator and `aws eks get-token` presign for 60 s; EKS accepts the token ~15 min. */
const presignExpirySeconds = 60;

/** The presigned STS GetCallerIdentity URL EKS verifies; `x-k8s-aws-id` binds it to one cluster. */
export async function presignedCallerIdentityUrl(request: EksTokenRequest): Promise<URL> {
  const hostname = `sts.${request.region}.amazonaws.com`;
  const signer = new SignatureV4({
    credentials: request.credentials,
    region: request.region,
    service: 'sts',
    sha256: Sha256,
  });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, 'x-k8s-aws-id': request.clusterName },
    },
    { expiresIn: presignExpirySeconds, signingDate: request.now },
  );
  const query = Object.entries(presigned.query ?? {})
    .flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value]).map(
        (v) => `${escapeUri(key)}=${escapeUri(String(v ?? ''))}`,
      ),
    )
    .sort()
    .join('&');
  return new URL(`https://${hostname}/?${query}`);
}

/** A bearer token for the EKS API server: `k8s-aws-v1.` + base64url(presigned URL), no padding. */
export async function eksToken(request: EksTokenRequest): Promise<string> {
  const url = await presignedCallerIdentityUrl(request);
  return tokenPrefix + Buffer.from(url.toString()).toString('base64url');
}

/** Decodes a token back into its presigned URL (for tests and troubleshooting). */
export function decodeEksToken(token: string): URL {
  if (!token.startsWith(tokenPrefix)) throw new Error('not an EKS token');
  return new URL(Buffer.from(token.slice(tokenPrefix.length), 'base64url').toString());
}
