import { displayUrl, HttpRequestError, type HttpResponse, httpRequest } from '../http/index.ts';
import { type AwsCredentialsProvider, escapeUri } from '../shared/aws-signing.ts';
import { formatBytes } from '../shared/format-bytes.ts';
import { isSigV4, type PrometheusAuth } from './auth.ts';
import { PrometheusQueryError } from './errors.ts';

/**
 * The one client for Prometheus' HTTP API (`disk` with `source: prometheus` and the
 * `prometheus` check): an instant query through `/api/v1/query` on any Prometheus-compatible
 * server (Prometheus, Thanos, Mimir, VictoriaMetrics, Amazon Managed Prometheus), sent by the
 * shared HTTP client (auth, ca/insecure, failure wording), with Prometheus' own error text.
 */

export interface PrometheusTarget {
  /** Base URL; may carry `user:pass@` (sent as basic auth, never requested or reported). */
  readonly url: string;
  readonly auth?: PrometheusAuth | undefined;
  /** Extra headers, e.g. `X-Scope-OrgID` for a Mimir/Cortex tenant. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly ca?: string | undefined;
  readonly insecure?: boolean | undefined;
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
  readonly serverTimeoutMs?: number;
  /** The request's own limit; when it runs out the failure names the phase it was in. */
  readonly requestTimeoutMs?: number;
}

/** Large fleets answer node_filesystem queries with megabytes; bounded all the same. */
const maxAnswerBytes = 32 * 1024 * 1024;

function queryUrl(target: PrometheusTarget, query: string, options: QueryOptions): URL {
  let base: URL;
  try {
    base = new URL(target.url);
  } catch {
    throw new PrometheusQueryError(`url is not a valid URL: ${displayUrl(target.url)}`);
  }
  const url = new URL(`${base.pathname.replace(/\/+$/, '')}/api/v1/query`, base);
  const params: [string, string][] = [['query', query]];
  if (options.serverTimeoutMs !== undefined) {
    // A Prometheus duration: integer units only ("18500ms", never "18.5s").
    params.push(['timeout', `${Math.max(100, Math.round(options.serverTimeoutMs))}ms`]);
  }
  // RFC 3986 encoding (a space is %20): what a SigV4 verifier recomputes from the request.
  url.search = params.map(([k, v]) => `${escapeUri(k)}=${escapeUri(v)}`).join('&');
  return url;
}

async function signedHeaders(
  target: PrometheusTarget,
  url: URL,
  headers: Record<string, string>,
): Promise<Record<string, string>> {
  if (!isSigV4(target.auth)) return headers;
  const { region, service = 'aps' } = target.auth.awsSigV4;
  const [{ signRequest }, { defaultAwsCredentials }] = await Promise.all([
    import('./sigv4.ts'),
    import('../shared/aws-signing.ts'),
  ]);
  let credentials: Awaited<ReturnType<AwsCredentialsProvider>>;
  try {
    credentials = await (target.awsCredentials ?? defaultAwsCredentials)(region)();
  } catch (error) {
    throw new PrometheusQueryError(
      `no AWS credentials to sign the query (awsSigV4): ${(error as Error).message}`,
    );
  }
  const unsigned = new URL(url);
  unsigned.username = '';
  unsigned.password = '';
  return signRequest({ url: unsigned, headers, region, service, credentials });
}

function failure(error: HttpRequestError, origin: string): PrometheusQueryError {
  if (error.kind === 'timeout') {
    return new PrometheusQueryError(`no answer from Prometheus at ${origin}: ${error.reason}`);
  }
  if (error.kind === 'too-large') {
    return new PrometheusQueryError(
      `Prometheus at ${origin} answered more than ${formatBytes(maxAnswerBytes)}: narrow the query (${error.reason})`,
    );
  }
  return new PrometheusQueryError(`cannot reach Prometheus at ${origin}: ${error.reason}`);
}

interface ApiBody {
  status?: string;
  error?: string;
  errorType?: string;
  data?: QueryData;
  warnings?: string[];
}

function parseAnswer(response: HttpResponse, origin: string): QueryAnswer {
  let body: ApiBody;
  try {
    body = JSON.parse(response.text);
  } catch {
    throw new PrometheusQueryError(
      `Prometheus at ${origin} answered HTTP ${response.status} with no JSON (is url the Prometheus base URL?)`,
    );
  }
  if (response.status >= 400 || body.status !== 'success' || !body.data) {
    throw new PrometheusQueryError(
      `Prometheus query failed (HTTP ${response.status}${body.errorType ? `, ${body.errorType}` : ''}): ${body.error ?? (body.data ? 'no error text' : 'no data in the answer')}`,
    );
  }
  return { data: body.data, warnings: body.warnings ?? [] };
}

/** Runs one instant query; throws PrometheusQueryError with Prometheus' own error text. */
export async function instantQuery(
  target: PrometheusTarget,
  query: string,
  signal: AbortSignal,
  options: QueryOptions = {},
): Promise<QueryAnswer> {
  const url = queryUrl(target, query, options);
  const origin = `${url.protocol}//${url.host}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(target.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  let response: HttpResponse;
  try {
    response = await httpRequest({
      url: url.toString(),
      headers: await signedHeaders(target, url, headers),
      ...(target.auth && !isSigV4(target.auth) ? { auth: target.auth } : {}),
      ...(target.ca ? { ca: target.ca } : {}),
      ...(target.insecure ? { insecure: true } : {}),
      maxBodyBytes: maxAnswerBytes,
      ...(options.requestTimeoutMs !== undefined ? { timeoutMs: options.requestTimeoutMs } : {}),
      signal,
    });
  } catch (error) {
    if (error instanceof HttpRequestError) throw failure(error, origin);
    if (signal.aborted) {
      throw new PrometheusQueryError(
        `no answer from Prometheus at ${origin} before the check's deadline`,
      );
    }
    throw error;
  }
  return parseAnswer(response, origin);
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
