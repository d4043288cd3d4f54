import { CaLoadError, loadExtraCas, secureContextTrusting } from '../shared/trust-store.ts';
import { authorizationHeader, type HttpAuth, splitCredentials } from './auth.ts';
import { defaultMaxBodyBytes, readBoundedBody } from './body.ts';
import { builtinAgentClass, HttpClientSetupError } from './builtin-agent.ts';
import {
  ConnectionTrace,
  type ConnectorTls,
  roundMs as round,
  tracingConnector,
} from './connector.ts';
import { describeRequestError, HttpRequestError } from './errors.ts';

export type QueryValue = string | number | boolean;

export interface HttpRequestOptions {
  /** `http://` or `https://`; `user:pass@` becomes basic auth (fetch refuses it in URLs). */
  readonly url: string;
  /** @default 'GET' */
  readonly method?: string;
  /** Extra request headers; names are case-insensitive. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Added to the URL's query string (arrays repeat the parameter). */
  readonly query?: Readonly<Record<string, QueryValue | readonly QueryValue[]>>;
  /** Request body as text. */
  readonly body?: string;
  /** Request body as JSON (sets `content-type: application/json` unless given). */
  readonly json?: unknown;
  readonly auth?: HttpAuth;
  /** Extra CAs to trust besides Node's default store: PEM text or a PEM file path. */
  readonly ca?: string;
  /** Accept any certificate (self-signed, expired, wrong name). */
  readonly insecure?: boolean;
  /** `true` follows up to 5 redirects, a number up to that many, `false` none. @default true */
  readonly followRedirects?: boolean | number;
  /** Body read limit; a larger body fails with kind `too-large`. @default 1 MiB */
  readonly maxBodyBytes?: number;
  /**
   * The request's own time limit, for the whole exchange (all redirects and the body). When it
   * fires the request fails with kind `timeout` naming the phase; when `signal` aborts instead, the
   * signal's reason is thrown as is (the caller's deadline is the caller's to report).
   */
  readonly timeoutMs?: number;
  /**
   * The limit a timeout message names (default `timeoutMs`). A check that stops its request a
   * moment before its own deadline, to report the phase, names that deadline: "timed out after 20s".
   */
  readonly reportTimeoutAsMs?: number;
  readonly signal: AbortSignal;
}

/**
 * Phase timings in ms. `dnsMs`, `connectMs` and `tlsMs` are durations of the final connection's
 * phases (`dnsMs` 0 for an IP address, `tlsMs` absent for plain HTTP); `firstByteMs` (until the
 * final response's headers, like curl's time_starttransfer) and `totalMs` (until the body is read)
 * count from the start of the first request, redirects included.
 */
export interface HttpTimings {
  readonly dnsMs?: number;
  readonly connectMs?: number;
  readonly tlsMs?: number;
  readonly firstByteMs: number;
  readonly totalMs: number;
}

export interface HttpRedirect {
  readonly status: number;
  readonly from: string;
  readonly to: string;
}

export interface HttpResponse {
  readonly method: string;
  /** The URL asked for, without credentials. */
  readonly url: string;
  /** The URL that gave this response, after redirects. */
  readonly finalUrl: string;
  readonly status: number;
  readonly statusText: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly redirects: readonly HttpRedirect[];
  readonly body: Buffer;
  /** The body decoded as UTF-8. */
  readonly text: string;
  readonly timings: HttpTimings;
  readonly remoteAddress?: string;
  readonly tlsProtocol?: string;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
/** Headers that must not follow a redirect to another origin (fetch and curl drop them too). */
const credentialHeaders = ['authorization', 'cookie', 'proxy-authorization'];

/** `host:port` with the scheme's default port, as failure messages name it. */
export function endpointOf(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}

/** A URL without credentials, for messages and results. */
export function displayUrl(url: string): string {
  try {
    return splitCredentials(new URL(url)).url.toString();
  } catch {
    return url;
  }
}

function parseTarget(options: HttpRequestOptions): { url: URL; auth?: HttpAuth } {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new HttpRequestError('request', '', `not a valid URL: ${displayUrl(options.url)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpRequestError(
      'request',
      '',
      `unsupported URL scheme ${url.protocol} (http:// or https://)`,
    );
  }
  for (const [name, value] of Object.entries(options.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      url.searchParams.append(name, String(item));
    }
  }
  const split = splitCredentials(url);
  const auth = options.auth ?? split.auth;
  return auth ? { url: split.url, auth } : { url: split.url };
}

function requestHeaders(
  options: HttpRequestOptions,
  auth: HttpAuth | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': 'healthcheck',
    accept: 'application/json, text/plain;q=0.9, */*;q=0.8',
  };
  for (const [name, value] of Object.entries(options.headers ?? {}))
    headers[name.toLowerCase()] = value;
  if (auth) headers['authorization'] = authorizationHeader(auth);
  if (options.json !== undefined) headers['content-type'] ??= 'application/json';
  return headers;
}

async function trustFor(options: HttpRequestOptions, signal: AbortSignal): Promise<ConnectorTls> {
  if (!options.ca) return { rejectUnauthorized: options.insecure !== true };
  try {
    const cas = await loadExtraCas(options.ca, signal);
    return {
      secureContext: secureContextTrusting(cas),
      rejectUnauthorized: options.insecure !== true,
    };
  } catch (error) {
    if (error instanceof CaLoadError) throw new HttpRequestError('request', '', error.message);
    throw error;
  }
}

function maxRedirectsOf(follow: boolean | number | undefined): number {
  if (follow === false) return 0;
  if (typeof follow === 'number') return Math.max(0, Math.floor(follow));
  return 5;
}

function timingsOf(
  trace: ConnectionTrace,
  started: number,
  headersAt: number,
  endedAt: number,
): HttpTimings {
  const { connectStartedAt, lookedUpAt, connectedAt, secureAt } = trace;
  const afterDns = lookedUpAt ?? connectStartedAt;
  return {
    ...(connectStartedAt !== undefined
      ? { dnsMs: round((lookedUpAt ?? connectStartedAt) - connectStartedAt) }
      : {}),
    ...(connectedAt !== undefined && afterDns !== undefined
      ? { connectMs: round(connectedAt - afterDns) }
      : {}),
    ...(secureAt !== undefined && connectedAt !== undefined
      ? { tlsMs: round(secureAt - connectedAt) }
      : {}),
    firstByteMs: round(headersAt - started),
    totalMs: round(endedAt - started),
  };
}

/** `http://a/x -> /y -> https://b/z`: the same origin shown as a path, at most 6 steps. */
function redirectChain(first: string, redirects: readonly HttpRedirect[]): string {
  const steps = [first];
  for (const redirect of redirects.slice(0, 5)) {
    const from = new URL(redirect.from);
    const to = new URL(redirect.to);
    steps.push(to.origin === from.origin ? to.pathname + to.search : redirect.to);
  }
  return `${steps.join(' -> ')}${redirects.length > 5 ? ' -> ...' : ''}`;
}

interface Hop {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** The request a redirect leads to, as fetch's "HTTP-redirect fetch" builds it. */
function nextHop(hop: Hop, status: number, location: string): Hop {
  let url: URL;
  try {
    url = new URL(location, hop.url);
  } catch {
    throw new HttpRequestError(
      'redirect',
      endpointOf(hop.url),
      `redirect ${status} to an invalid Location: ${location}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpRequestError(
      'redirect',
      endpointOf(hop.url),
      `redirect ${status} to unsupported ${url.protocol} URL`,
    );
  }
  const headers = { ...hop.headers };
  let { method, body } = hop;
  if (
    (status === 303 && method !== 'HEAD') ||
    ((status === 301 || status === 302) && method === 'POST')
  ) {
    method = 'GET';
    body = undefined;
    delete headers['content-type'];
    delete headers['content-length'];
  }
  if (url.origin !== hop.url.origin) for (const name of credentialHeaders) delete headers[name];
  return { url, method, headers, body };
}

/**
 * One HTTP exchange through Node's fetch (undici), with the caller's AbortSignal, its own time
 * limit, redirects followed by hand so each hop is recorded, a bounded body read, and DNS/TCP/TLS
 * timings from a tracing connector. Never resolves with a half-read body: any failure throws an
 * `HttpRequestError` worded by `describeRequestError`, except the caller's own abort.
 */
export async function httpRequest(options: HttpRequestOptions): Promise<HttpResponse> {
  const deadline =
    options.timeoutMs !== undefined
      ? AbortSignal.timeout(Math.max(1, Math.round(options.timeoutMs)))
      : undefined;
  const signal = deadline ? AbortSignal.any([options.signal, deadline]) : options.signal;
  const target = parseTarget(options);
  const requested = target.url.toString();
  const tls = await trustFor(options, signal);
  let Agent: Awaited<ReturnType<typeof builtinAgentClass>>;
  try {
    Agent = await builtinAgentClass();
  } catch (error) {
    if (error instanceof HttpClientSetupError)
      throw new HttpRequestError('request', '', error.message);
    throw error;
  }
  const maxRedirects = maxRedirectsOf(options.followRedirects);
  // Timings start here: loading fetch and the trust store on first use is not the server's time.
  const started = performance.now();
  const redirects: HttpRedirect[] = [];
  let hop: Hop = {
    url: target.url,
    method: (options.method ?? 'GET').toUpperCase(),
    headers: requestHeaders(options, target.auth),
    body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
  };
  for (;;) {
    const trace = new ConnectionTrace();
    const agent = new Agent({ connect: tracingConnector(trace, tls, signal) });
    const endpoint = endpointOf(hop.url);
    let bodyBytesRead = 0;
    try {
      const response = await fetch(hop.url, {
        method: hop.method,
        headers: hop.headers,
        ...(hop.body !== undefined ? { body: hop.body } : {}),
        redirect: 'manual',
        signal,
        dispatcher: agent,
      });
      const headersAt = performance.now();
      trace.phase = 'reading the body';
      const location = response.headers.get('location');
      if (redirectStatuses.has(response.status) && location && maxRedirects > 0) {
        await response.body?.cancel().catch(() => {});
        const next = nextHop(hop, response.status, location);
        redirects.push({
          status: response.status,
          from: hop.url.toString(),
          to: next.url.toString(),
        });
        if (redirects.length > maxRedirects) {
          const chain = redirectChain(requested, redirects);
          throw new HttpRequestError(
            'redirect',
            endpoint,
            `more than ${maxRedirects} redirects (followRedirects): ${chain}`,
          );
        }
        hop = next;
        continue;
      }
      const body =
        hop.method === 'HEAD'
          ? Buffer.alloc(0)
          : await readBoundedBody(
              response,
              options.maxBodyBytes ?? defaultMaxBodyBytes,
              endpoint,
              (n) => {
                bodyBytesRead = n;
              },
            );
      const endedAt = performance.now();
      return {
        method: hop.method,
        url: requested,
        finalUrl: hop.url.toString(),
        status: response.status,
        statusText: response.statusText,
        headers: Object.fromEntries(response.headers),
        redirects,
        body,
        text: body.toString('utf8'),
        timings: timingsOf(trace, started, headersAt, endedAt),
        ...(trace.remoteAddress ? { remoteAddress: trace.remoteAddress } : {}),
        ...(trace.tlsProtocol ? { tlsProtocol: trace.tlsProtocol } : {}),
      };
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason;
      throw describeRequestError(error, {
        endpoint,
        phase: trace.phase,
        bodyBytesRead,
        ...(deadline?.aborted && options.timeoutMs !== undefined
          ? { timedOutAfterMs: options.reportTimeoutAsMs ?? options.timeoutMs }
          : {}),
      });
    } finally {
      // Not awaited: closing sockets must not delay a result that is already known.
      agent.destroy().catch(() => {});
    }
  }
}
