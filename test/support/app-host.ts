import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback "host" many HTTP checks point at: it answers every path with `status`, and can go
 * down (stop listening: connection refused) and come back on the same port.
 */
export interface AppHost {
  readonly port: number;
  url(path: string): string;
  /** What every request is answered with while up. @default 200 */
  status: number;
  down(): Promise<void>;
  up(): Promise<void>;
}

export async function startAppHost(): Promise<AppHost> {
  let server: Server | undefined;
  const host: AppHost = {
    port: 0,
    status: 200,
    url: (path) => `http://127.0.0.1:${host.port}/${path}`,
    async up() {
      const s = createServer((_req, res) => {
        res.writeHead(host.status, { 'content-type': 'text/plain' });
        res.end(host.status === 200 ? 'ok' : 'unavailable');
      });
      await new Promise<void>((resolve) => s.listen(host.port, '127.0.0.1', () => resolve()));
      (host as { port: number }).port = (s.address() as AddressInfo).port;
      server = s;
    },
    async down() {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  await host.up();
  return host;
}
