import { isIP, connect as netConnect, type Socket } from 'node:net';
import {
  type DetailedPeerCertificate,
  type SecureContext,
  type TLSSocket,
  connect as tlsConnect,
} from 'node:tls';
import { raceAbort } from '../../shared/abort.ts';
import { describeConnectionError } from './endpoint-error.ts';
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
}

export interface Handshake {
  readonly certificate: DetailedPeerCertificate;
  /** Whether the chain verifies against the trust list (host name is checked separately). */
  readonly authorized: boolean;
  readonly authorizationError?: string;
  readonly protocol: string | null;
  readonly handshakeMs: number;
}

/** Runs `fn` with the socket, destroying it when done or when the signal aborts. */
async function withSocket<T>(
  signal: AbortSignal,
  endpoint: string,
  open: () => Socket,
  fn: (socket: Socket, track: (wrapped: Socket) => void) => Promise<T>,
): Promise<T> {
  signal.throwIfAborted();
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
    return await raceAbort(Promise.race([fn(socket, track), socketError]), signal, destroyAll);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw describeConnectionError(error, endpoint);
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
      endpoint,
      () => tlsConnect({ host: options.host, port: options.port, ...tlsOptions }),
      (socket) => tlsHandshake(socket as TLSSocket, started),
    );
  }
  return withSocket(
    options.signal,
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
