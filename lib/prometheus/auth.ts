/**
 * How a check authenticates to a Prometheus-compatible API: basic, bearer, or SigV4 for Amazon
 * Managed Prometheus. Values may be `${secret:}` references (resolved before the check runs).
 */
export type PrometheusAuth =
  | { readonly basic: { readonly username: string; readonly password: string } }
  | { readonly bearer: string }
  | { readonly awsSigV4: { readonly region: string; readonly service?: string } };

export type AwsSigV4Auth = Extract<PrometheusAuth, { awsSigV4: unknown }>['awsSigV4'];

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** The Authorization header for basic or bearer auth (SigV4 signs each request instead). */
export function staticAuthorization(auth: PrometheusAuth | undefined): string | undefined {
  if (!auth) return undefined;
  if ('bearer' in auth) return `Bearer ${auth.bearer}`;
  if ('basic' in auth) return basicAuthorization(auth.basic.username, auth.basic.password);
  return undefined;
}
