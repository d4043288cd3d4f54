import { type AddressInfo, createServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export interface SlowTlsServer {
  readonly port: number;
  /** Connections accepted so far (each is one check in flight). */
  connections(): number;
  /** Resolves once `count` connections have arrived. */
  waitForConnections(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TLS endpoint that answers the handshake only after `delayMs`: a check of it takes that long
 * and then succeeds, which makes a run last as long as a test needs.
 */
export async function startSlowTlsServer(
  cert: { key: string; cert: string },
  delayMs: number,
): Promise<SlowTlsServer> {
  const tls = createTlsServer(cert, (socket) => socket.end());
  tls.on('tlsClientError', () => {});
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let count = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const net = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.pause();
    const timer = setTimeout(() => {
      timers.delete(timer);
      tls.emit('connection', socket);
      socket.resume();
    }, delayMs);
    timers.add(timer);
    for (const w of waiters.filter((w) => w.count <= count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  await new Promise<void>((resolve) => net.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (net.address() as AddressInfo).port,
    connections: () => count,
    waitForConnections: (wanted) =>
      wanted <= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count: wanted, resolve })),
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        net.close(() => resolve());
      }),
  };
}
