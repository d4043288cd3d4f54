import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../../lib/checks/connection-pool/describe-failure.ts';
import { run } from '../../../lib/checks/connection-pool/run.ts';
import { connectionTarget } from '../../../lib/db/connection-target.ts';
import {
  context,
  eventually,
  password,
  poolConfig,
  refusedPort,
  silentServer,
  suffix,
} from './pool-servers.ts';

const engines = [
  { engine: 'postgres', scheme: 'postgres' },
  { engine: 'mysql', scheme: 'mysql' },
  { engine: 'redis', scheme: 'redis' },
] as const;

describe.each(engines)('connection-pool $engine failures', ({ engine, scheme }) => {
  it('a refused port is unknown with a clear reason and no password', async () => {
    const port = await refusedPort();
    const secret = password();
    const outcome = await run(
      poolConfig({ engine, url: `${scheme}://app:${secret}@127.0.0.1:${port}/1` }),
      context(),
    );
    expect(outcome).toMatchObject({
      status: 'unknown',
      summary: `${engine} 127.0.0.1:${port}: connection refused`,
    });
    expect(JSON.stringify(outcome)).not.toContain(secret);
  });

  it('an unknown host is unknown, naming the host', async () => {
    const host = `no-such-host-${suffix()}.invalid`;
    const outcome = await run(poolConfig({ engine, url: `${scheme}://${host}:1234` }), context());
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(
      new RegExp(`^${engine} ${host}:1234: (unknown host|cannot resolve host) ${host}`),
    );
  });

  it('a hung server: the deadline aborts the attempt and the socket is closed at once', async () => {
    const server = await silentServer();
    try {
      const deadline = new AbortController();
      const running = run(
        poolConfig({ engine, url: `${scheme}://127.0.0.1:${server.port}`, timeoutSeconds: 30 }),
        context(deadline.signal),
      );
      // Abort once the server holds the connection, so the abort lands mid-handshake.
      expect(await eventually(() => server.accepted() === 1, 10_000)).toBe(true);
      const abortedAt = Date.now();
      deadline.abort();
      const outcome = await running;
      expect(Date.now() - abortedAt).toBeLessThan(3000);
      expect(outcome).toMatchObject({
        status: 'unknown',
        summary: `${engine} 127.0.0.1:${server.port}: stopped at the check deadline before the server answered`,
      });
      expect(server.accepted()).toBe(1);
      expect(await eventually(() => server.closed() === 1)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it("a hung server: the driver's connect timeout, just inside timeoutSeconds, names the wait", async () => {
    const server = await silentServer();
    try {
      const outcome = await run(
        poolConfig({ engine, url: `${scheme}://127.0.0.1:${server.port}`, timeoutSeconds: 0.5 }),
        context(),
      );
      expect(outcome).toMatchObject({
        status: 'unknown',
        summary: expect.stringMatching(
          new RegExp(
            `^${engine} 127\\.0\\.0\\.1:${server.port}: (timed out connecting after 0\\.45s|no answer within 0\\.45s)`,
          ),
        ),
      });
      expect(await eventually(() => server.closed() === 1)).toBe(true);
    } finally {
      await server.stop();
    }
  });
});

describe('connection-pool TLS and URLs', () => {
  it('TLS requested from a server without TLS is unknown with the reason', async () => {
    const outcomes = await Promise.all([
      run(
        poolConfig({
          engine: 'postgres',
          url: 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=require',
        }),
        context(),
      ),
      run(
        poolConfig({ engine: 'postgres', url: 'postgres://postgres@127.0.0.1:5432', tls: true }),
        context(),
      ),
      run(
        poolConfig({
          engine: 'mysql',
          url: 'mysql://root@127.0.0.1:3306',
          tls: { rejectUnauthorized: false },
        }),
        context(),
      ),
    ]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('unknown');
      expect(outcome.summary).toMatch(/^(postgres|mysql) 127\.0\.0\.1:\d+: TLS: .*(SSL|secure)/i);
    }
  });

  it('tls.ca names an unreadable file without leaking the URL', async () => {
    const secret = password();
    const outcome = await run(
      poolConfig({
        engine: 'redis',
        url: `rediss://app:${secret}@127.0.0.1:6379`,
        tls: { ca: '/no/such/ca.pem' },
      }),
      context(),
    );
    expect(outcome).toMatchObject({
      status: 'unknown',
      summary: 'redis: tls.ca: cannot read /no/such/ca.pem: ENOENT',
    });
    expect(JSON.stringify(outcome)).not.toContain(secret);
  });

  it('a Redis URL whose path is not a database number is unknown', async () => {
    const outcome = await run(
      poolConfig({ engine: 'redis', url: 'redis://127.0.0.1:6379/cache' }),
      context(),
    );
    expect(outcome).toMatchObject({
      status: 'unknown',
      summary:
        'redis 127.0.0.1:6379: url path must be a Redis database number, e.g. redis://host:6379/0',
    });
  });

  it('an unparseable URL is unknown and is not echoed', async () => {
    const secret = password();
    const outcome = await run(
      poolConfig({ engine: 'mysql', url: `mysql://app:${secret}@127.0.0.1:notaport` }),
      context(),
    );
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(/^mysql: url is not a valid URL/);
    expect(JSON.stringify(outcome)).not.toContain(secret);
  });

  it('redacts a password a driver echoes in its error, encoded or not', async () => {
    const secret = 'p@ss/w0rd!';
    const target = await connectionTarget(
      poolConfig({
        engine: 'postgres',
        url: `postgres://app:${encodeURIComponent(secret)}@db.internal:5432/erp`,
      }),
    );
    const failure = describeFailure(
      new Error(
        `could not connect to postgres://app:${encodeURIComponent(secret)}@db.internal:5432/erp with password ${secret}`,
      ),
      target,
      { deadline: new AbortController().signal },
    );
    expect(failure.status).toBe('unknown');
    expect(failure.reason).not.toContain(secret);
    expect(failure.reason).not.toContain(encodeURIComponent(secret));
    expect(failure.reason).toContain('db.internal:5432/erp');
  });
});
