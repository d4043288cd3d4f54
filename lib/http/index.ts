/**
 * The HTTP client every HTTP-based check uses (http, alertmanager, prometheus): Node's own fetch
 * (undici) with
 *
 * - the caller's `AbortSignal` plus an optional own time limit whose failure names the phase
 *   (`timed out after 20s waiting for the response headers`);
 * - timings per phase: DNS, TCP connect, TLS, first byte, total (`HttpTimings`);
 * - `auth` (basic or bearer; `user:pass@` in the URL becomes basic), extra headers, `query`;
 * - `ca` (PEM text or file, trusted besides the system store) and `insecure`;
 * - redirects followed by hand (default 5), each recorded, credentials dropped across origins;
 * - a bounded body read (`maxBodyBytes`, default 1 MiB);
 * - one wording for failures: `describeRequestError` (`127.0.0.1:8222: connection refused
 *   (nothing listening on that port?)`, DNS, TLS, timeouts), thrown as `HttpRequestError` with a
 *   `kind` and a `reason` fit for a summary.
 *
 * ```ts
 * const response = await httpRequest({ url, auth, headers, timeoutMs: 5000, signal });
 * if (response.status !== 200) ...
 * const doc = jsonBody(response); // throws HttpRequestError(kind 'protocol') if not JSON
 * ```
 *
 * Config fields for checks: `httpClientFields` (auth, headers, ca, insecure) and `httpUrlProblem`.
 */
export type { HttpAuth } from './auth.ts';
export { defaultMaxBodyBytes } from './body.ts';
export {
  describeRequestError,
  type FailureContext,
  type HttpFailureKind,
  HttpRequestError,
  type RequestPhase,
} from './errors.ts';
export { bodyExcerpt } from './excerpt.ts';
export {
  type HttpClientConfig,
  httpAuthField,
  httpClientFields,
  httpHeadersField,
  httpUrlProblem,
} from './fields.ts';
export { jsonBody } from './json-body.ts';
export {
  displayUrl,
  endpointOf,
  type HttpRedirect,
  type HttpRequestOptions,
  type HttpResponse,
  type HttpTimings,
  httpRequest,
  type QueryValue,
} from './request.ts';
export { type TcpConnection, type TcpConnectOptions, tcpConnect } from './tcp-connect.ts';
