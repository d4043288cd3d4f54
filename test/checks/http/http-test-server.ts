import { randomBytes } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface TestHttpServer {
  readonly port: number;
  /** `http://127.0.0.1:PORT` (or https). */
  readonly origin: string;
  /** Tokens handed out by POST /login. */
  readonly tokens: Set<string>;
  /** Requests seen, in order: method, path, headers. */
  readonly seen: { method: string; path: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

export const loginUser = { username: 'monitor', password: 'Login-Pa55word' };

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The endpoints the HTTP check meets in real life, on loopback: healthy, slow, 5xx, redirecting,
 * huge, malformed JSON, never answering, and a login flow handing out bearer tokens.
 */
function handler(state: { tokens: Set<string>; seen: TestHttpServer['seen'] }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    state.seen.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      headers: req.headers,
    });
    const path = url.pathname;
    if (path === '/health')
      return json(res, 200, { status: 'UP', checks: { db: 'UP', cache: 'UP' } });
    if (path === '/slow') {
      const ms = Number(url.searchParams.get('ms') ?? 500);
      setTimeout(() => json(res, 200, { status: 'UP' }), ms);
      return;
    }
    if (path === '/unavailable')
      return json(res, 503, { status: 'DOWN', checks: { db: 'timeout' } });
    if (path === '/varz')
      return json(res, 200, { server_id: 'N1', connections: 12, slow_consumers: 4, mem: 1234 });
    if (path === '/jobs/overview') {
      return json(res, 200, {
        jobs: [
          { jid: 'a1', name: 'orders-enrich', state: 'RUNNING' },
          { jid: 'b2', name: 'payments-agg', state: 'FAILING' },
          { jid: 'c3', name: 'inventory-sync', state: 'RUNNING' },
        ],
      });
    }
    if (path === '/connectors/orders-cdc/status') {
      return json(res, 200, {
        name: 'orders-cdc',
        connector: { state: 'RUNNING', worker_id: '10.0.0.7:8083' },
        tasks: [
          { id: 0, state: 'RUNNING', worker_id: '10.0.0.7:8083' },
          { id: 1, state: 'RUNNING', worker_id: '10.0.0.8:8083' },
          {
            id: 2,
            state: 'FAILED',
            worker_id: '10.0.0.8:8083',
            trace: 'org.apache.kafka.connect.errors.ConnectException: timeout',
          },
        ],
        type: 'source',
      });
    }
    if (path.startsWith('/redirect/')) {
      const left = Number(path.slice('/redirect/'.length));
      res.writeHead(302, { location: left > 0 ? `/redirect/${left - 1}` : '/health' });
      return void res.end();
    }
    if (path === '/loop') {
      res.writeHead(301, { location: '/loop' });
      return void res.end();
    }
    if (path === '/huge') {
      // 5 MiB without a Content-Length, so only a bounded read can stop it.
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const pump = (): void => {
        while (sent < 80) {
          sent++;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => {});
      return pump();
    }
    if (path === '/huge-declared') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 5 * 1024 * 1024 });
      res.on('error', () => {});
      return void res.write('x');
    }
    if (path === '/malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"status": "UP", "checks": ');
    }
    if (path === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<html><body>Welcome to nginx!</body></html>');
    }
    if (path === '/hang') return; // never answers; the socket stays open until the client gives up
    if (path === '/echo') {
      const body = await readBody(req);
      return json(res, 200, { method: req.method, headers: req.headers, query: url.search, body });
    }
    if (path === '/login' && req.method === 'POST') {
      const body = JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>;
      if (body['username'] !== loginUser.username || body['password'] !== loginUser.password) {
        return json(res, 401, { error: 'invalid credentials' });
      }
      const token = randomBytes(16).toString('hex');
      state.tokens.add(token);
      return json(res, 200, {
        access_token: token,
        refresh_token: randomBytes(16).toString('hex'),
        expires_in: 300,
      });
    }
    if (path === '/api/orders') {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !state.tokens.has(token)) return json(res, 401, { error: 'unauthorized' });
      return json(res, 200, { orders: [{ id: 1, status: 'NEW' }], echoed: token });
    }
    json(res, 404, { error: `no route ${path}` });
  };
}

/** Starts the endpoints on 127.0.0.1 (HTTPS when `tls` is given). */
export async function startTestHttpServer(tls?: {
  key: string;
  cert: string;
}): Promise<TestHttpServer> {
  const state = { tokens: new Set<string>(), seen: [] as TestHttpServer['seen'] };
  const handle = handler(state);
  const server = tls ? createHttpsServer(tls, handle) : createHttpServer(handle);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    ...state,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
