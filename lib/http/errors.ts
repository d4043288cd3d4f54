import { formatBytes } from '../shared/format-bytes.ts';
import { formatSeconds } from '../shared/format-duration.ts';
import { describeVerifyError } from '../shared/trust-store.ts';

/** What went wrong, for callers that map failures to statuses or retry only some of them. */
export type HttpFailureKind =
  /** Nothing listening, reset, unreachable: the target is down or firewalled. */
  | 'connect'
  /** The host name does not resolve. */
  | 'dns'
  /** Handshake failed, certificate not trusted or not for this host. */
  | 'tls'
  /** The request's own time limit ran out (the phase is in the reason). */
  | 'timeout'
  /** The server answered with something that is not HTTP, or hung up mid-answer. */
  | 'protocol'
  /** The body is larger than the read limit. */
  | 'too-large'
  /** More redirects than allowed, or a redirect without a usable Location. */
  | 'redirect'
  /** The request itself cannot be sent (bad URL, blocked port, bad header, bad `ca`). */
  | 'request';

/**
 * A request that got no usable answer. `reason` is the words for a summary (`connection refused
 * (nothing listening on that port?)`); `message` prefixes it with `host:port`.
 */
export class HttpRequestError extends Error {
  readonly kind: HttpFailureKind;
  readonly endpoint: string;
  readonly reason: string;

  constructor(kind: HttpFailureKind, endpoint: string, reason: string, options?: ErrorOptions) {
    super(endpoint ? `${endpoint}: ${reason}` : reason, options);
    this.name = 'HttpRequestError';
    this.kind = kind;
    this.endpoint = endpoint;
    this.reason = reason;
  }
}

/** Where the request was when its time ran out, for `timed out after 20s waiting for ...`. */
export type RequestPhase =
  | 'resolving the host name'
  | 'connecting'
  | 'during the TLS handshake'
  | 'waiting for the response headers'
  | 'reading the body';

export interface FailureContext {
  /** `host:port`, prefixed to the message. */
  readonly endpoint: string;
  /** Set when the request's own deadline fired: the limit that ran out, in ms. */
  readonly timedOutAfterMs?: number;
  readonly phase?: RequestPhase;
  /** Bytes of body read when the failure happened. */
  readonly bodyBytesRead?: number;
}

const socketReasons: Record<string, readonly [HttpFailureKind, string]> = {
  ECONNREFUSED: ['connect', 'connection refused (nothing listening on that port?)'],
  ECONNRESET: ['connect', 'connection reset by the server'],
  EPIPE: ['connect', 'connection closed by the server while sending the request'],
  ETIMEDOUT: ['connect', 'connection timed out (firewall dropping packets?)'],
  EHOSTUNREACH: ['connect', 'host unreachable'],
  ENETUNREACH: ['connect', 'network unreachable'],
  EADDRNOTAVAIL: ['connect', 'address not available'],
  ENOTFOUND: ['dns', 'DNS lookup failed: host not found'],
  EAI_AGAIN: ['dns', 'DNS lookup failed temporarily (DNS server not answering?)'],
  EAI_NODATA: ['dns', 'DNS lookup failed: no address for this host'],
  UND_ERR_SOCKET: ['protocol', 'the server closed the connection before answering'],
  UND_ERR_CLOSED: ['protocol', 'the server closed the connection before answering'],
  UND_ERR_HEADERS_OVERFLOW: ['protocol', 'response headers too large'],
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: [
    'protocol',
    'the body is shorter or longer than its Content-Length',
  ],
  ERR_TLS_CERT_ALTNAME_INVALID: ['tls', 'certificate does not match the host name'],
};

const verifyCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

interface ErrorShape {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly reason?: unknown;
  readonly cause?: unknown;
  readonly errors?: readonly unknown[];
}

/** The innermost error with a code: fetch wraps socket errors in `TypeError: fetch failed`. */
function rootCause(error: unknown): ErrorShape {
  let current = (error ?? {}) as ErrorShape;
  for (let depth = 0; depth < 5; depth++) {
    if (typeof current.code === 'string' && current.code) return current;
    // Happy eyeballs (IPv6 and IPv4 both refused) reports an AggregateError.
    const inner = current.errors?.find((e) => typeof (e as ErrorShape)?.code === 'string');
    if (inner) return inner as ErrorShape;
    if (!current.cause || typeof current.cause !== 'object') return current;
    current = current.cause as ErrorShape;
  }
  return current;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value instanceof Error ? value.message : '';
}

function tlsReason(code: string, root: ErrorShape): string | undefined {
  if (verifyCodes.has(code)) {
    return `TLS: certificate not trusted: ${describeVerifyError(code)} (trust its CA with ca:, or set insecure: true)`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const detail = text(root.reason) || text(root.message);
    return `TLS: certificate does not match the host name${detail ? ` (${detail})` : ''}`;
  }
  const message = text(root.message);
  if (/wrong version number|packet length too long|http request/i.test(message)) {
    return 'TLS handshake failed: the server does not speak TLS on this port (http:// instead of https://?)';
  }
  if (
    code.startsWith('ERR_SSL_') ||
    /SSL routines|socket disconnected before secure TLS/i.test(message)
  ) {
    const why = (text(root.reason) || message || code).toLowerCase();
    return `TLS handshake failed (${why})`;
  }
  return undefined;
}

/**
 * The one place socket, DNS, TLS, HTTP-parser and time-limit failures become words an on-call
 * engineer can act on. Every HTTP-based check reports its failures through it, so "connection
 * refused" reads the same everywhere.
 */
export function describeRequestError(error: unknown, context: FailureContext): HttpRequestError {
  if (error instanceof HttpRequestError) return error;
  const { endpoint } = context;
  if (context.timedOutAfterMs !== undefined) {
    const phase = context.phase ?? 'waiting for the response headers';
    const read =
      phase === 'reading the body' && context.bodyBytesRead
        ? ` (${formatBytes(context.bodyBytesRead)} received)`
        : '';
    return new HttpRequestError(
      'timeout',
      endpoint,
      `timed out after ${formatSeconds(context.timedOutAfterMs)} ${phase}${read}`,
      { cause: error },
    );
  }
  const root = rootCause(error);
  const code = typeof root.code === 'string' ? root.code : '';
  const tls = tlsReason(code, root);
  if (tls) return new HttpRequestError('tls', endpoint, tls, { cause: error });
  const known = socketReasons[code];
  if (known) return new HttpRequestError(known[0], endpoint, known[1], { cause: error });
  const message = text(root.message) || text(error) || String(error);
  if (code.startsWith('HPE_')) {
    return new HttpRequestError(
      'protocol',
      endpoint,
      `the answer is not valid HTTP (${message}; not an HTTP port?)`,
      { cause: error },
    );
  }
  if (message === 'bad port') {
    const port = endpoint.slice(endpoint.lastIndexOf(':') + 1);
    return new HttpRequestError(
      'request',
      endpoint,
      `port ${port} is blocked by fetch (a "bad port" in the Fetch standard); use tcp:// to check that it listens`,
      { cause: error },
    );
  }
  return new HttpRequestError(
    'request',
    endpoint,
    code && !message.includes(code) ? `${message} (${code})` : message,
    { cause: error },
  );
}
