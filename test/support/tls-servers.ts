import { createServer as createHttpServer } from 'node:http';
import {
  type AddressInfo,
  createServer as createNetServer,
  type Server,
  type Socket,
} from 'node:net';
import { createSecureContext, createServer as createTlsServer, TLSSocket } from 'node:tls';

export interface LoopbackServer {
  readonly port: number;
  close(): Promise<void>;
}

function listen(server: Server, sockets: Set<Socket>): Promise<LoopbackServer> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * A TLS server on loopback presenting `cert` (leaf, optionally followed by its chain);
 * `setCertificate` swaps it for new connections, like a renewal on a live server.
 */
export async function startTlsServer(
  options: { key: string; cert: string },
  onConnection?: (socket: Socket) => void,
): Promise<LoopbackServer & { setCertificate(next: { key: string; cert: string }): void }> {
  const server = createTlsServer({ key: options.key, cert: options.cert }, (socket) => {
    socket.end('hello\n');
  });
  server.on('tlsClientError', () => {});
  if (onConnection) server.on('connection', onConnection);
  const loopback = await listen(server, new Set());
  return {
    ...loopback,
    setCertificate: (next) => server.setSecureContext({ key: next.key, cert: next.cert }),
  };
}

/** A plain HTTP server: answers a TLS ClientHello with `400 Bad Request`. */
export function startHttpServer(): Promise<LoopbackServer> {
  return listen(
    createHttpServer((_req, res) => res.end('plain http')),
    new Set(),
  );
}

/** Accepts connections and never says anything (a hung endpoint). */
export async function startSilentServer(): Promise<LoopbackServer & { openConnections(): number }> {
  const sockets = new Set<Socket>();
  // Reading (and discarding) lets the server notice when the client hangs up.
  const server = await listen(
    createNetServer((socket) => socket.resume()),
    sockets,
  );
  return { ...server, openConnections: () => sockets.size };
}

/**
 * Speaks just enough PostgreSQL for STARTTLS: answers the 8-byte SSLRequest with `S` (or `N`
 * when `sslOff`), then runs the TLS server side on the same socket.
 */
export function startPostgresStarttlsServer(
  options: { key: string; cert: string },
  sslOff = false,
): Promise<LoopbackServer> {
  const context = createSecureContext({ key: options.key, cert: options.cert });
  const server = createNetServer((socket) => {
    socket.once('data', (chunk: Buffer) => {
      if (chunk.length !== 8 || chunk.readUInt32BE(4) !== 80877103) {
        socket.destroy();
        return;
      }
      if (sslOff) {
        socket.end('N');
        return;
      }
      socket.write('S');
      const secure = new TLSSocket(socket, { isServer: true, secureContext: context });
      secure.on('error', () => {});
    });
  });
  return listen(server, new Set());
}

/** A loopback port with nothing listening (bound, then released). */
export async function refusedPort(): Promise<number> {
  const server = await listen(createNetServer(), new Set());
  await server.close();
  return server.port;
}
