/** What SigV4 signing needs, shared by EKS tokens and Amazon Managed Prometheus queries. */

/** AWS credentials as SigV4 signers take them. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/**
 * The AWS SDK's default credential chain (environment, SSO, profiles, web identity, the Lambda
 * role), resolved through an SDK client's config so no credential package is imported directly;
 * the client is loaded only when a check signs a request.
 */
export function defaultAwsCredentials(region: string): AwsCredentialsProvider {
  return async () => {
    const { STSClient } = await import('@aws-sdk/client-sts');
    return new STSClient({ region }).config.credentials();
  };
}

/** RFC 3986 escaping, as SigV4 canonicalises query strings (a space is %20, never +). */
export function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
