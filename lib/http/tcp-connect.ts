import { ConnectionTrace, roundMs, tracingConnector } from './connector.ts';
import { describeRequestError } from './errors.ts';

export interface TcpConnectOptions {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs?: number;
  /** The limit a timeout message names (default `timeoutMs`), as for `httpRequest`. */
  readonly reportTimeoutAsMs?: number;
  readonly signal: AbortSignal;
}

export interface TcpConnection {
  readonly dnsMs: number;
  readonly connectMs: number;
  readonly totalMs: number;
  readonly remoteAddress?: string;
}

/**
 * Connect-only probe (`tcp://host:port`: is the port listening?). The socket is closed as soon as
 * it connects; failures are worded like HTTP ones.
 */
export function tcpConnect(options: TcpConnectOptions): Promise<TcpConnection> {
  const started = performance.now();
  const deadline =
    options.timeoutMs !== undefined
      ? AbortSignal.timeout(Math.max(1, Math.round(options.timeoutMs)))
      : undefined;
  const signal = deadline ? AbortSignal.any([options.signal, deadline]) : options.signal;
  const trace = new ConnectionTrace();
  const endpoint = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
  const connect = tracingConnector(trace, { rejectUnauthorized: true }, signal);
  return new Promise((resolve, reject) => {
    connect(
      { hostname: options.host, port: String(options.port), protocol: 'tcp:' },
      (error, socket) => {
        if (error || !socket) {
          if (options.signal.aborted) reject(options.signal.reason);
          else
            reject(
              describeRequestError(error, {
                endpoint,
                phase: trace.phase,
                ...(deadline?.aborted && options.timeoutMs !== undefined
                  ? { timedOutAfterMs: options.reportTimeoutAsMs ?? options.timeoutMs }
                  : {}),
              }),
            );
          return;
        }
        socket.destroy();
        const connectedAt = trace.connectedAt ?? performance.now();
        const lookedUp = trace.lookedUpAt ?? trace.connectStartedAt ?? started;
        resolve({
          dnsMs: roundMs(lookedUp - (trace.connectStartedAt ?? started)),
          connectMs: roundMs(connectedAt - lookedUp),
          totalMs: roundMs(connectedAt - started),
          ...(trace.remoteAddress ? { remoteAddress: trace.remoteAddress } : {}),
        });
      },
    );
  });
}
