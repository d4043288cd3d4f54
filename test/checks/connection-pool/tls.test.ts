import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/connection-pool/run.ts';
import { createTestPki, type IssuedCertificate, inDays } from '../../support/tls-certificates.ts';
import { context, poolConfig } from './pool-servers.ts';

// The local PostgreSQL and Redis run without TLS, so TLS-terminating proxies with certificates
// from a throwaway CA sit in front of them: the check talks TLS to a proxy, which forwards the
// plaintext protocol to the real server.

let pkiDir = '';
const servers: Server[] = [];
let caPem = '';
let caFile = '';
let leaf: IssuedCertificate;

function forward(from: Socket | TLSSocket, port: number): void {
  const upstream = connect(port, '127.0.0.1');
  for (const socket of [from, upstream]) {
    socket.on('error', () => {
      from.destroy();
      upstream.destroy();
    });
  }
  from.pipe(upstream).pipe(from);
}

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** Redis over TLS from the first byte, as `rediss://` expects. */
const redisTlsProxy = () =>
  listen(createTlsServer({ key: leaf.key, cert: leaf.cert }, (socket) => forward(socket, 6379)));

/** PostgreSQL's SSLRequest: answer 'S', then speak TLS on the same socket. */
const postgresTlsProxy = () =>
  listen(
    createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', (first: Buffer) => {
        if (first.length !== 8 || first.readInt32BE(4) !== 80877103) {
          socket.destroy();
          return;
        }
        socket.write('S');
        const secure = new TLSSocket(socket, { isServer: true, key: leaf.key, cert: leaf.cert });
        forward(secure, 5432);
      });
    }),
  );

beforeAll(async () => {
  // Lives for the whole file: the CA file is read by a test, not only here.
  pkiDir = await mkdtemp(join(tmpdir(), 'healthcheck-pool-tls-'));
  const pki = await createTestPki(pkiDir);
  caPem = pki.caPem;
  caFile = pki.caFile;
  leaf = await pki.issue({ names: ['localhost', 'IP:127.0.0.1'], notAfter: inDays(30) });
});

afterAll(async () => {
  for (const server of servers) server.close();
  await rm(pkiDir, { recursive: true, force: true });
});

describe('connection-pool over TLS', () => {
  it('redis: rediss:// with the CA file trusted measures through TLS', async () => {
    const port = await redisTlsProxy();
    const outcome = await run(
      poolConfig({ engine: 'redis', url: `rediss://127.0.0.1:${port}`, tls: { ca: caFile } }),
      context(),
    );
    expect(outcome).toMatchObject({ status: 'ok', details: { ping: 'PONG' } });
  });

  it('redis: an untrusted certificate is unknown with the TLS reason', async () => {
    const port = await redisTlsProxy();
    const outcome = await run(
      poolConfig({ engine: 'redis', url: `rediss://localhost:${port}` }),
      context(),
    );
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(
      new RegExp(`^redis localhost:${port}: TLS: .*(certificate|self.signed)`, 'i'),
    );
  });

  it('postgres: TLS with the CA as PEM text, verified against the IP', async () => {
    const port = await postgresTlsProxy();
    const outcome = await run(
      poolConfig({
        engine: 'postgres',
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        tls: { ca: caPem },
      }),
      context(),
    );
    expect(outcome).toMatchObject({ status: 'ok', details: { engine: 'postgres' } });
  });

  it('postgres: sslmode=verify-full without the CA, or a wrong name, is unknown', async () => {
    const port = await postgresTlsProxy();
    const untrusted = await run(
      poolConfig({
        engine: 'postgres',
        url: `postgres://postgres@localhost:${port}/postgres?sslmode=verify-full`,
      }),
      context(),
    );
    expect(untrusted.status).toBe('unknown');
    expect(untrusted.summary).toMatch(/^postgres localhost:\d+: TLS: .*certificate/i);

    const wrongName = await run(
      poolConfig({
        engine: 'postgres',
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        tls: { ca: caPem, servername: 'db.example.com' },
      }),
      context(),
    );
    expect(wrongName.status).toBe('unknown');
    expect(wrongName.summary).toMatch(/TLS: .*(does not match|altnames)/i);

    const encryptOnly = await run(
      poolConfig({
        engine: 'postgres',
        url: `postgres://postgres@localhost:${port}/postgres?sslmode=require`,
      }),
      context(),
    );
    expect(encryptOnly.status).toBe('ok');
  });
});
