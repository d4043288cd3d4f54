import { isIP, connect as netConnect, type Socket } from 'node:net';
import {
  type DetailedPeerCertificate,
  type SecureContext,
  type TLSSocket,
  connect as tlsConnect,
} from 'node:tls';
import { raceAbort } from '../../shared/abort.ts';
import { describeConnectionError, TlsEndpointError } from './endpoint-error.ts';
import { postgresSslRequest } from './postgres-starttls.ts';

export interface HandshakeOptions {
  readonly host: string;
  readonly port: number;
  /** SNI name; omitted for IP addresses (RFC 6066 forbids them as SNI). */
  readonly servername: string;
  /** Trusts the system store plus extra CAs; undefined for Node's default store. */
  readonly secureContext?: SecureContext;
  readonly starttls?: 'postgres';
  readonly signal: AbortSignal;
  /**
   * A time limit of the check's own, set just inside its deadline so a silent server is reported
   * with the endpoint and how far the connection got, not as a bare "timed out".
   */
  readonly limit?: HandshakeLimit;
}

export interface Handshake {
  readonly certificate: DetailedPeerCertificate;
  /** Whether the chain verifies against the trust list (host name is checked separately). */
  readonly authorized: boolean;
  readonly authorizationError?: string;
  readonly protocol: string | null;
  readonly handshakeMs: number;
}

export interface HandshakeLimit {
  readonly signal: AbortSignal;
  /** The error for the limit running out, given how far the connection had got. */
  readonly error: (stage: 'not started' | 'connecting' | 'handshake') => Error;
}

/** Starts counting now: create it when the check starts, before reading CA files. */
export function handshakeLimit(endpoint: string, timeoutMs: number): HandshakeLimit {
  const seconds = `${Math.round(timeoutMs / 100) / 10}s`;
  return {
    signal: AbortSignal.timeout(timeoutMs),
    error: (stage) =>
      new TlsEndpointError(
        stage === 'handshake'
          ? `${endpoint}: connected, but no TLS handshake within ${seconds} (the server never answered: not a TLS port, or overloaded?)`
          : stage === 'connecting'
            ? `${endpoint}: no answer to the TCP connection within ${seconds} (host down, or a firewall dropping packets?)`
            : `${endpoint}: timed out after ${seconds} before connecting (reading the ca file took that long)`,
      ),
  };
}

/** Runs `fn` with the socket, destroying it when done or when the signal (or the limit) aborts. */
async function withSocket<T>(
  caller: AbortSignal,
  limit: HandshakeLimit | undefined,
  endpoint: string,
  open: () => Socket,
  fn: (socket: Socket, track: (wrapped: Socket) => void) => Promise<T>,
): Promise<T> {
  caller.throwIfAborted();
  if (limit?.signal.aborted) throw limit.error('not started');
  const signal = limit ? AbortSignal.any([caller, limit.signal]) : caller;
  const sockets: Socket[] = [];
  // Outermost first: destroying a plain socket under a live STARTTLS TLSSocket crashed Node 24
  // (SIGSEGV at exit) in our tests.
  const destroyAll = (): void => {
    for (const s of sockets.toReversed()) s.destroy();
  };
  const socket = open();
  sockets.push(socket);
  const socketError = new Promise<never>((_, reject) => socket.once('error', reject));
  // A STARTTLS upgrade wraps the plain socket; track the TLS socket too so abort destroys it.
  const track = (wrapped: Socket): void => {
    sockets.push(wrapped);
  };
  try {
    return await raceAbort(Promise.race([fn(socket, track), socketError]), signal);
  } catch (error) {
    if (!signal.aborted) throw describeConnectionError(error, endpoint);
    // Say how far the connection got before our own limit ran out; the caller's reason otherwise.
    const stage = socket.connecting ? 'connecting' : 'handshake';
    throw limit?.signal.aborted && !caller.aborted ? limit.error(stage) : signal.reason;
  } finally {
    destroyAll();
  }
}

function tlsHandshake(socket: TLSSocket, started: number): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('close', () =>
      reject(new Error('Client network socket disconnected before secure TLS connection')),
    );
    socket.once('secureConnect', () => {
      const authorizationError = socket.authorizationError
        ? String(socket.authorizationError)
        : undefined;
      resolve({
        certificate: socket.getPeerCertificate(true),
        authorized: socket.authorized,
        ...(authorizationError ? { authorizationError } : {}),
        protocol: socket.getProtocol(),
        handshakeMs: Math.round(performance.now() - started),
      });
    });
  });
}

/**
 * Completes a TLS handshake and returns the peer's certificate chain without rejecting it, so an
 * untrusted or mismatched certificate can still be inspected (days left) and reported.
 */
export function fetchPeerCertificate(options: HandshakeOptions): Promise<Handshake> {
  const endpoint = `${options.host}:${options.port}`;
  const started = performance.now();
  const limit = options.limit;
  const tlsOptions = {
    ...(isIP(options.servername) ? {} : { servername: options.servername }),
    ...(options.secureContext ? { secureContext: options.secureContext } : {}),
    rejectUnauthorized: false,
    // Host names are matched by the caller so a mismatch and an untrusted chain are told apart.
    checkServerIdentity: () => undefined,
  };
  if (!options.starttls) {
    return withSocket(
      options.signal,
      limit,
      endpoint,
      () => tlsConnect({ host: options.host, port: options.port, ...tlsOptions }),
      (socket) => tlsHandshake(socket as TLSSocket, started),
    );
  }
  return withSocket(
    options.signal,
    limit,
    endpoint,
    () => netConnect({ host: options.host, port: options.port }),
    async (socket, track) => {
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      await postgresSslRequest(socket, endpoint);
      const secure = tlsConnect({ socket, ...tlsOptions });
      track(secure);
      return tlsHandshake(secure, started);
    },
  );
}
