import type { HttpAuth } from '../http/index.ts';

/**
 * How a check authenticates to a Prometheus-compatible API: the HTTP client's basic or bearer
 * auth, or SigV4 for Amazon Managed Prometheus. Values may be `${secret:}` references.
 */
export type PrometheusAuth =
  | HttpAuth
  | { readonly awsSigV4: { readonly region: string; readonly service?: string } };

export function isSigV4(
  auth: PrometheusAuth | undefined,
): auth is Extract<PrometheusAuth, { awsSigV4: unknown }> {
  return auth !== undefined && 'awsSigV4' in auth;
}
