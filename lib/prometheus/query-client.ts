import { type AwsCredentialsProvider, escapeUri } from '../shared/aws-signing.ts';
import { basicAuthorization, type PrometheusAuth, staticAuthorization } from './auth.ts';
import { PrometheusQueryError } from './errors.ts';

/**
 * The one client for Prometheus' HTTP API (`disk` with `source: prometheus` and the
 * `prometheus` check): an instant query through `/api/v1/query` on any Prometheus-compatible
 * server (Prometheus, Thanos, Mimir, VictoriaMetrics, Amazon Managed Prometheus), with one
 * wording for failures. Kept small on Node's fetch so it can move onto the shared HTTP client.
 */

export interface PrometheusTarget {
  /** Base URL; may carry `user:pass@` (sent as basic auth, never requested or reported). */
  readonly url: string;
  readonly auth?: PrometheusAuth | undefined;
  /** Extra headers, e.g. `X-Scope-OrgID` for a Mimir/Cortex tenant. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** SigV4 credentials for `auth.awsSigV4` (default: the SDK's credential chain). */
  readonly awsCredentials?: (region: string) => AwsCredentialsProvider;
}

export interface Sample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/** `data` of a successful query: which kind of value it returned, and the value. */
export type QueryData =
  | { readonly resultType: 'vector'; readonly result: Sample[] }
  | { readonly resultType: 'scalar' | 'string'; readonly result: [number, string] }
  | { readonly resultType: 'matrix'; readonly result: unknown[] };

export interface QueryAnswer {
  readonly data: QueryData;
  /** Prometheus' own warnings (a partial answer from a federated store, for example). */
  readonly warnings: readonly string[];
}

export interface QueryOptions {
  /** Asks the server to stop evaluating after this long (its `timeout` parameter). */
  readonly timeoutMs?: number;
}

interface Endpoint {
  readonly url: URL;
  readonly headers: Record<string, string>;
  /** The base without credentials, path or query, for messages. */
  readonly origin: string;
}

function endpoint(target: PrometheusTarget, query: string, options: QueryOptions): Endpoint {
  let base: URL;
  try {
    base = new URL(target.url);
  } catch {
    throw new PrometheusQueryError('url is not a valid URL');
  }
  const url = new URL(`${base.pathname.replace(/\/+$/, '')}/api/v1/query`, base);
  const params: [string, string][] = [['query', query]];
  if (options.timeoutMs !== undefined) {
    // A Prometheus duration: integer units only ("18500ms", never "18.5s").
    params.push(['timeout', `${Math.max(100, Math.round(options.timeoutMs))}ms`]);
  }
  // RFC 3986 encoding (a space is %20): what a SigV4 verifier recomputes from the request.
  url.search = params.map(([k, v]) => `${escapeUri(k)}=${escapeUri(v)}`).join('&');
  const headers: Record<string, string> = { accept: 'application/json', ...target.headers };
  // fetch refuses URLs that carry credentials.
  if (url.username || url.password) {
    headers['authorization'] = basicAuthorization(
      decodeURIComponent(url.username),
      decodeURIComponent(url.password),
    );
    url.username = '';
    url.password = '';
  }
  const authorization = staticAuthorization(target.auth);
  if (authorization) headers['authorization'] = authorization;
  return { url, headers, origin: `${url.protocol}//${url.host}` };
}

async function signedHeaders(
  target: PrometheusTarget,
  at: Endpoint,
): Promise<Record<string, string>> {
  const auth = target.auth;
  if (!auth || !('awsSigV4' in auth)) return at.headers;
  const { region, service = 'aps' } = auth.awsSigV4;
  const [{ signRequest }, { defaultAwsCredentials }] = await Promise.all([
    import('./sigv4.ts'),
    import('../shared/aws-signing.ts'),
  ]);
  let credentials: Awaited<ReturnType<AwsCredentialsProvider>>;
  try {
    credentials = await (target.awsCredentials ?? defaultAwsCredentials)(region)();
  } catch (error) {
    throw new PrometheusQueryError(
      `no AWS credentials to sign the query for ${at.origin} (awsSigV4): ${(error as Error).message}`,
    );
  }
  return signRequest({ url: at.url, headers: at.headers, region, service, credentials });
}

/** undici hides the socket error (sometimes an AggregateError of both address families). */
function networkCause(error: unknown): string {
  type Cause = { code?: string; message?: string; errors?: Cause[] };
  const cause = (error as { cause?: Cause }).cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message;
}

interface ApiBody {
  status?: string;
  error?: string;
  errorType?: string;
  data?: QueryData;
  warnings?: string[];
}

/** Runs one instant query; throws PrometheusQueryError with Prometheus' own error text. */
export async function instantQuery(
  target: PrometheusTarget,
  query: string,
  signal: AbortSignal,
  options: QueryOptions = {},
): Promise<QueryAnswer> {
  const at = endpoint(target, query, options);
  const headers = await signedHeaders(target, at);
  let response: Response;
  try {
    response = await fetch(at.url, { headers, signal });
  } catch (error) {
    if (signal.aborted) {
      throw new PrometheusQueryError(
        `no answer from Prometheus at ${at.origin} before the check's deadline`,
      );
    }
    throw new PrometheusQueryError(
      `cannot reach Prometheus at ${at.origin}: ${networkCause(error)}`,
    );
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    throw new PrometheusQueryError(
      `Prometheus at ${at.origin} stopped answering mid-response (HTTP ${response.status})`,
    );
  }
  let body: ApiBody;
  try {
    body = JSON.parse(text);
  } catch {
    throw new PrometheusQueryError(
      `Prometheus at ${at.origin} answered HTTP ${response.status} with no JSON (is url the Prometheus base URL?)`,
    );
  }
  if (!response.ok || body.status !== 'success' || !body.data) {
    throw new PrometheusQueryError(
      `Prometheus query failed (HTTP ${response.status}${body.errorType ? `, ${body.errorType}` : ''}): ${body.error ?? (body.data ? 'no error text' : 'no data in the answer')}`,
    );
  }
  return { data: body.data, warnings: body.warnings ?? [] };
}

/** A vector's samples, or a scalar as one unlabelled sample; other result types are an error. */
export function instantSamples(data: QueryData): Sample[] {
  if (data.resultType === 'vector') return data.result;
  if (data.resultType === 'scalar') return [{ metric: {}, value: data.result }];
  throw new PrometheusQueryError(
    data.resultType === 'matrix'
      ? 'the query returns a range vector (foo[5m]); wrap it in a function such as max_over_time(...) or rate(...) to get one value per series'
      : 'the query returns a string; it must return an instant vector or a scalar',
  );
}
