/** The endpoint could not be reached or did not complete a TLS handshake: the check is `unknown`. */
export class TlsEndpointError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TlsEndpointError';
  }
}

const networkReasons: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing listening on that port?)',
  ENOTFOUND: 'DNS lookup failed: host not found',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset during the TLS handshake (not a TLS port?)',
  EPIPE: 'connection closed during the TLS handshake (not a TLS port?)',
};

/** Turns a socket or OpenSSL error into a reason an on-call engineer can act on. */
export function describeConnectionError(error: unknown, endpoint: string): TlsEndpointError {
  if (error instanceof TlsEndpointError) return error;
  const e = error as NodeJS.ErrnoException & { library?: string; reason?: string };
  const code = e?.code ?? '';
  const known = networkReasons[code];
  if (known) return new TlsEndpointError(`${endpoint}: ${known}`, { cause: error });
  if (code.startsWith('ERR_SSL_') || e?.library === 'SSL routines') {
    const reason = (e.reason ?? e.message ?? code).toLowerCase();
    return new TlsEndpointError(
      `${endpoint}: TLS handshake failed (${reason}); is this a TLS port?`,
      { cause: error },
    );
  }
  const message = e instanceof Error ? e.message : String(error);
  if (/socket disconnected before secure TLS connection/i.test(message)) {
    return new TlsEndpointError(
      `${endpoint}: the server closed the connection during the TLS handshake (not a TLS port?)`,
      { cause: error },
    );
  }
  return new TlsEndpointError(`${endpoint}: ${message}${code ? ` (${code})` : ''}`, {
    cause: error,
  });
}
