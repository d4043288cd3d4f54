import { isIP, connect as netConnect, type Socket } from 'node:net';
import { type SecureContext, type TLSSocket, connect as tlsConnect } from 'node:tls';
import type { buildConnector } from 'undici-types';
import type { RequestPhase } from './errors.ts';

/** Timings are kept to a tenth of a millisecond. */
export const roundMs = (ms: number): number => Math.round(ms * 10) / 10;

/**
 * What happened on one request's connection, filled in as it happens (times from
 * `performance.now()`), so both timings and "timed out while ..." can be told.
 */
export class ConnectionTrace {
  phase: RequestPhase = 'connecting';
  connectStartedAt: number | undefined;
  lookedUpAt: number | undefined;
  connectedAt: number | undefined;
  secureAt: number | undefined;
  remoteAddress: string | undefined;
  tlsProtocol: string | undefined;
}

export interface ConnectorTls {
  /** Trust store (Node's defaults plus `ca`); undefined for Node's default store. */
  readonly secureContext?: SecureContext;
  /** false = `insecure`: accept any certificate. */
  readonly rejectUnauthorized: boolean;
}

/**
 * An undici connector that opens the socket itself, so the request knows when DNS, TCP and TLS
 * finished and where it is when a deadline fires. HTTP itself stays undici's.
 */
export function tracingConnector(
  trace: ConnectionTrace,
  tls: ConnectorTls,
  signal: AbortSignal,
): buildConnector.connector {
  return (options, callback) => {
    const host = options.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
    const secure = options.protocol === 'https:';
    trace.connectStartedAt = performance.now();
    trace.phase = isIP(host) ? 'connecting' : 'resolving the host name';
    let settled = false;
    const socket: Socket = secure
      ? tlsConnect({
          host,
          port,
          // SNI must be a name, never an IP address (RFC 6066).
          ...(isIP(host) ? {} : { servername: options.servername || host }),
          ...(tls.secureContext ? { secureContext: tls.secureContext } : {}),
          rejectUnauthorized: tls.rejectUnauthorized,
        })
      : netConnect({ host, port });
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (error) {
        socket.destroy();
        callback(error, null);
      } else callback(null, socket);
    };
    const onAbort = (): void =>
      finish(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('lookup', (error: Error | null) => {
      trace.lookedUpAt = performance.now();
      if (!error) trace.phase = 'connecting';
    });
    socket.once('connect', () => {
      trace.connectedAt = performance.now();
      trace.remoteAddress = socket.remoteAddress;
      if (secure) trace.phase = 'during the TLS handshake';
      else {
        trace.phase = 'waiting for the response headers';
        finish(null);
      }
    });
    if (secure) {
      socket.once('secureConnect', () => {
        trace.secureAt = performance.now();
        trace.tlsProtocol = (socket as TLSSocket).getProtocol() ?? undefined;
        trace.phase = 'waiting for the response headers';
        finish(null);
      });
    }
    socket.once('error', (error: Error) => finish(error));
  };
}
