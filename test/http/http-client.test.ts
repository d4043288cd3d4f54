import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyExcerpt,
  describeRequestError,
  HttpRequestError,
  httpRequest,
  jsonBody,
  tcpConnect,
} from '../../lib/http/index.ts';
import { startTestHttpServer, type TestHttpServer } from '../checks/http/http-test-server.ts';
import { createTestPki, inDays, type TestPki } from '../support/tls-certificates.ts';
import { refusedPort, startSilentServer } from '../support/tls-servers.ts';

let dir = '';
let pki: TestPki;
let plain: TestHttpServer;
let secure: TestHttpServer;
let selfSigned: TestHttpServer;
let refused = 0;

const signal = () => AbortSignal.timeout(15_000);

async function failure(promise: Promise<unknown>): Promise<HttpRequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpRequestError);
  return error as HttpRequestError;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'healthcheck-http-client-'));
  pki = await createTestPki(dir);
  plain = await startTestHttpServer();
  secure = await startTestHttpServer(
    await pki.issue({ names: ['localhost', 'IP:127.0.0.1'], notAfter: inDays(90) }),
  );
  selfSigned = await startTestHttpServer(await pki.selfSigned(['localhost'], 30));
  refused = await refusedPort();
});

afterAll(async () => {
  await Promise.all([plain?.close(), secure?.close(), selfSigned?.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe('httpRequest', () => {
  it('answers with status, headers, body and phase timings', async () => {
    const response = await httpRequest({ url: `${plain.origin}/health`, signal: signal() });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(jsonBody(response)).toMatchObject({ status: 'UP' });
    const t = response.timings;
    expect(t.dnsMs).toBe(0); // an IP address needs no lookup
    expect(t.connectMs).toBeGreaterThanOrEqual(0);
    expect(t.tlsMs).toBeUndefined();
    expect(t.firstByteMs).toBeGreaterThanOrEqual(t.connectMs ?? 0);
    expect(t.totalMs).toBeGreaterThanOrEqual(t.firstByteMs);
    expect(response.remoteAddress).toBe('127.0.0.1');
  });

  it('times a DNS lookup for a host name', async () => {
    const response = await httpRequest({
      url: `http://localhost:${plain.port}/health`,
      signal: signal(),
    });
    expect(response.status).toBe(200);
    expect(response.timings.dnsMs).toBeGreaterThan(0);
  });

  it('sends method, query, JSON body, extra headers and basic auth from the URL', async () => {
    const response = await httpRequest({
      url: `http://ops:s3cr%40t@127.0.0.1:${plain.port}/echo`,
      method: 'post',
      query: { limit: 5, tag: ['a', 'b'] },
      headers: { 'X-Request-Source': 'healthcheck-test' },
      json: { hello: 'world' },
      signal: signal(),
    });
    const echo = jsonBody(response) as {
      method: string;
      headers: Record<string, string>;
      query: string;
      body: string;
    };
    expect(echo.method).toBe('POST');
    expect(echo.query).toBe('?limit=5&tag=a&tag=b');
    expect(JSON.parse(echo.body)).toEqual({ hello: 'world' });
    expect(echo.headers['content-type']).toBe('application/json');
    expect(echo.headers['x-request-source']).toBe('healthcheck-test');
    expect(echo.headers['authorization']).toBe(
      `Basic ${Buffer.from('ops:s3cr@t').toString('base64')}`,
    );
    expect(response.url).not.toContain('s3cr');
  });

  it('sends a bearer token', async () => {
    const response = await httpRequest({
      url: `${plain.origin}/echo`,
      auth: { bearer: 'tok-123456' },
      signal: signal(),
    });
    expect((jsonBody(response) as { headers: Record<string, string> }).headers.authorization).toBe(
      'Bearer tok-123456',
    );
  });

  it('follows redirects and records each hop, or returns the redirect when told not to', async () => {
    const followed = await httpRequest({ url: `${plain.origin}/redirect/2`, signal: signal() });
    expect(followed.status).toBe(200);
    expect(followed.redirects.map((r) => new URL(r.to).pathname)).toEqual([
      '/redirect/1',
      '/redirect/0',
      '/health',
    ]);
    expect(followed.finalUrl).toBe(`${plain.origin}/health`);
    const kept = await httpRequest({
      url: `${plain.origin}/redirect/2`,
      followRedirects: false,
      signal: signal(),
    });
    expect(kept.status).toBe(302);
    expect(kept.headers.location).toBe('/redirect/1');
  });

  it('gives up on a redirect loop after the limit', async () => {
    const error = await failure(httpRequest({ url: `${plain.origin}/loop`, signal: signal() }));
    expect(error.kind).toBe('redirect');
    expect(error.reason).toMatch(
      /^more than 5 redirects \(followRedirects\): http:\/\/.*\/loop -> \/loop/,
    );
    const three = await failure(
      httpRequest({ url: `${plain.origin}/redirect/5`, followRedirects: 3, signal: signal() }),
    );
    expect(three.reason).toMatch(/^more than 3 redirects/);
  });

  it('stops reading a body over the limit, streamed or declared', async () => {
    const streamed = await failure(httpRequest({ url: `${plain.origin}/huge`, signal: signal() }));
    expect(streamed.kind).toBe('too-large');
    expect(streamed.reason).toBe('body is larger than the 1.0 MiB read limit (maxBodyBytes)');
    const declared = await failure(
      httpRequest({ url: `${plain.origin}/huge-declared`, signal: signal() }),
    );
    expect(declared.reason).toBe(
      'body is 5.0 MiB (Content-Length), over the 1.0 MiB read limit (maxBodyBytes)',
    );
    const allowed = await httpRequest({
      url: `${plain.origin}/huge`,
      maxBodyBytes: 8 * 1024 * 1024,
      signal: signal(),
    });
    expect(allowed.body.length).toBe(80 * 64 * 1024);
  });

  it('says a body is not JSON, quoting its start', async () => {
    const response = await httpRequest({ url: `${plain.origin}/html`, signal: signal() });
    const error = (() => {
      try {
        jsonBody(response);
      } catch (e) {
        return e as HttpRequestError;
      }
      return undefined;
    })();
    expect(error?.kind).toBe('protocol');
    expect(error?.reason).toMatch(
      /^body is not JSON \(.*content-type text\/html\): <html><body>Welcome/,
    );
  });

  it('names the phase and the limit when its own time runs out', async () => {
    const started = performance.now();
    const hung = await failure(
      httpRequest({ url: `${plain.origin}/hang`, timeoutMs: 700, signal: signal() }),
    );
    expect(hung.kind).toBe('timeout');
    expect(hung.message).toBe(
      `127.0.0.1:${plain.port}: timed out after 0.7s waiting for the response headers`,
    );
    // It ends at its limit, not at the caller's 15 s.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("rethrows the caller's abort as is", async () => {
    const controller = new AbortController();
    const pending = httpRequest({ url: `${plain.origin}/hang`, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller gave up')), 200);
    await expect(pending).rejects.toThrow('caller gave up');
  });

  it('words refused, DNS and blocked-port failures', async () => {
    const refusedError = await failure(
      httpRequest({ url: `http://127.0.0.1:${refused}/varz`, signal: signal() }),
    );
    expect(refusedError.kind).toBe('connect');
    expect(refusedError.message).toBe(
      `127.0.0.1:${refused}: connection refused (nothing listening on that port?)`,
    );
    const dns = await failure(
      httpRequest({ url: 'http://no-such-host.invalid/', signal: signal() }),
    );
    expect(dns.kind).toBe('dns');
    expect(dns.message).toBe('no-such-host.invalid:80: DNS lookup failed: host not found');
    const blocked = await failure(httpRequest({ url: 'http://127.0.0.1:6000/', signal: signal() }));
    expect(blocked.reason).toMatch(/port 6000 is blocked by fetch/);
  });

  it('says when a TLS request reaches a plain HTTP port', async () => {
    const error = await failure(
      httpRequest({ url: `https://127.0.0.1:${plain.port}/health`, signal: signal() }),
    );
    expect(error.kind).toBe('tls');
    expect(error.reason).toMatch(/does not speak TLS on this port/);
  });
});

describe('httpRequest over TLS', () => {
  it('trusts a private CA given as a file or as PEM text, and times the handshake', async () => {
    for (const ca of [pki.caFile, pki.caPem]) {
      const response = await httpRequest({
        url: `https://localhost:${secure.port}/health`,
        ca,
        signal: signal(),
      });
      expect(response.status).toBe(200);
      expect(response.timings.tlsMs).toBeGreaterThan(0);
      expect(response.tlsProtocol).toMatch(/^TLSv1\.[23]$/);
    }
  });

  it('rejects an untrusted or self-signed certificate unless insecure', async () => {
    const untrusted = await failure(
      httpRequest({ url: `https://127.0.0.1:${secure.port}/health`, signal: signal() }),
    );
    expect(untrusted.kind).toBe('tls');
    expect(untrusted.reason).toMatch(
      /^TLS: certificate not trusted: unable to verify the first certificate .*\(trust its CA with ca:, or set insecure: true\)$/,
    );
    const self = await failure(
      httpRequest({ url: `https://localhost:${selfSigned.port}/health`, signal: signal() }),
    );
    expect(self.reason).toMatch(/self-signed certificate/);
    const insecure = await httpRequest({
      url: `https://localhost:${selfSigned.port}/health`,
      insecure: true,
      signal: signal(),
    });
    expect(insecure.status).toBe(200);
  });

  it('rejects a certificate for another name', async () => {
    const other = await startTestHttpServer(
      await pki.issue({ names: ['other.test.internal'], notAfter: inDays(90) }),
    );
    try {
      const error = await failure(
        httpRequest({
          url: `https://localhost:${other.port}/health`,
          ca: pki.caPem,
          signal: signal(),
        }),
      );
      expect(error.kind).toBe('tls');
      expect(error.reason).toMatch(/certificate does not match the host name/);
    } finally {
      await other.close();
    }
  });

  it('reports an unreadable ca file as a request problem', async () => {
    const error = await failure(
      httpRequest({
        url: `https://localhost:${secure.port}/`,
        ca: join(dir, 'missing.pem'),
        signal: signal(),
      }),
    );
    expect(error.kind).toBe('request');
    expect(error.reason).toMatch(/^ca: cannot read .*missing\.pem/);
  });
});

describe('tcpConnect', () => {
  it('connects to a listening port and reports a refused one', async () => {
    const open = await tcpConnect({ host: '127.0.0.1', port: plain.port, signal: signal() });
    expect(open.connectMs).toBeGreaterThanOrEqual(0);
    const error = await failure(tcpConnect({ host: '127.0.0.1', port: refused, signal: signal() }));
    expect(error.message).toBe(
      `127.0.0.1:${refused}: connection refused (nothing listening on that port?)`,
    );
  });
});

describe('describeRequestError', () => {
  it('reads the code through fetch wrappers and dual-stack AggregateErrors', () => {
    const refusedBoth = Object.assign(
      new AggregateError([
        Object.assign(new Error('connect ECONNREFUSED ::1:8222'), { code: 'ECONNREFUSED' }),
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8222'), { code: 'ECONNREFUSED' }),
      ]),
      {},
    );
    const wrapped = new TypeError('fetch failed', { cause: refusedBoth });
    expect(describeRequestError(wrapped, { endpoint: 'localhost:8222' }).message).toBe(
      'localhost:8222: connection refused (nothing listening on that port?)',
    );
  });

  it('names the body bytes read when the body stalls', () => {
    const error = describeRequestError(new DOMException('t', 'TimeoutError'), {
      endpoint: 'h:80',
      timedOutAfterMs: 20_000,
      phase: 'reading the body',
      bodyBytesRead: 2048,
    });
    expect(error.reason).toBe('timed out after 20s reading the body (2.0 KiB received)');
  });
});

describe('bodyExcerpt', () => {
  it('masks token-like JSON fields and cuts long text', () => {
    expect(bodyExcerpt('{"access_token":"abc","user":{"password":"p","name":"n"}}')).toBe(
      '{"access_token":"***","user":{"password":"***","name":"n"}}',
    );
    expect(bodyExcerpt('x'.repeat(30), 10)).toBe('xxxxxxxxxx… (20 more characters)');
  });
});

describe('a hung server', () => {
  it('is closed by the client when the request gives up', async () => {
    const silent = await startSilentServer();
    try {
      await failure(
        httpRequest({ url: `http://127.0.0.1:${silent.port}/`, timeoutMs: 300, signal: signal() }),
      );
      await expect.poll(() => silent.openConnections(), { timeout: 5000 }).toBe(0);
    } finally {
      await silent.close();
    }
  });
});
