import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/http/run.ts';
import { loadCheckFromRegistry } from '../../../lib/checks/load-check.ts';
import { parseConfig } from '../../../lib/config/load-config.ts';
import { EnvSecretResolver } from '../../../lib/config/references.ts';
import { runChecks } from '../../../lib/core/engine.ts';
import { createTestPki, inDays, type TestPki } from '../../support/tls-certificates.ts';
import { refusedPort } from '../../support/tls-servers.ts';
import { checkContext, httpConfig } from './http-config.ts';
import { loginUser, startTestHttpServer, type TestHttpServer } from './http-test-server.ts';

let dir = '';
let pki: TestPki;
let web: TestHttpServer;
let secure: TestHttpServer;
let refused = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'healthcheck-http-check-'));
  pki = await createTestPki(dir);
  web = await startTestHttpServer();
  secure = await startTestHttpServer(
    await pki.issue({ names: ['localhost'], notAfter: inDays(60) }),
  );
  refused = await refusedPort();
});

afterAll(async () => {
  await Promise.all([web?.close(), secure?.close()]);
  await rm(dir, { recursive: true, force: true });
});

const check = (fields: Record<string, unknown>) => run(httpConfig(fields), checkContext());

describe('http check', () => {
  it('is ok for a healthy endpoint and reports timings', async () => {
    const outcome = await check({
      url: `${web.origin}/health`,
      assertions: [{ path: '$.status', equals: 'UP' }],
    });
    expect(outcome.status).toBe('ok');
    expect(outcome.summary).toMatch(
      new RegExp(`^GET ${web.origin}/health: 200 in \\d+(\\.\\d)? m?s$`),
    );
    expect(outcome.details).toMatchObject({
      status: 200,
      assertionsPassed: 1,
      remoteAddress: '127.0.0.1',
    });
    expect(Object.keys(outcome.details?.['timings'] as object)).toEqual([
      'dnsMs',
      'connectMs',
      'firstByteMs',
      'totalMs',
    ]);
    expect(outcome.details?.['body']).toBeUndefined();
  });

  it('is critical for a 503 and says what the body said', async () => {
    const outcome = await check({ url: `${web.origin}/unavailable` });
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/unavailable: status 503 \(expected 2xx\) in \d+(\.\d)? m?s: \{"status":"DOWN","checks":\{"db":"timeout"\}\}$/,
    );
    expect(outcome.details).toMatchObject({
      status: 503,
      body: '{"status":"DOWN","checks":{"db":"timeout"}}',
    });
  });

  it('accepts the statuses it is told to', async () => {
    expect((await check({ url: `${web.origin}/unavailable`, expectStatus: [503] })).status).toBe(
      'ok',
    );
    const redirect = await check({ url: `${web.origin}/redirect/1`, followRedirects: false });
    expect(redirect.status).toBe('critical');
    expect(redirect.summary).toMatch(
      /status 302 \(expected 2xx\) in \d+(\.\d)? m?s -> \/redirect\/0$/,
    );
    expect(
      (
        await check({
          url: `${web.origin}/redirect/1`,
          followRedirects: false,
          expectStatus: ['3xx'],
        })
      ).status,
    ).toBe('ok');
  });

  it('follows redirects and lists them', async () => {
    const outcome = await check({ url: `${web.origin}/redirect/2` });
    expect(outcome.status).toBe('ok');
    expect(outcome.details?.['redirects']).toHaveLength(3);
    expect(outcome.details?.['finalUrl']).toBe(`${web.origin}/health`);
    const loop = await check({ url: `${web.origin}/loop` });
    expect(loop.status).toBe('unknown');
    expect(loop.summary).toMatch(/: more than 5 redirects \(followRedirects\)/);
  });

  it('is warning, then critical, over the response time thresholds', async () => {
    const warning = await check({
      url: `${web.origin}/slow?ms=400`,
      responseTimeMs: { warning: 150, critical: 60_000 },
    });
    expect(warning.status).toBe('warning');
    expect(warning.summary).toMatch(
      /: responded in \d+(\.\d)? m?s, over responseTimeMs\.warning \(150 ms\)$/,
    );
    const critical = await check({
      url: `${web.origin}/slow?ms=400`,
      responseTimeMs: { warning: 100, critical: 150 },
    });
    expect(critical.status).toBe('critical');
    expect(critical.summary).toMatch(/over responseTimeMs\.critical \(150 ms\)$/);
  });

  it('is critical for a JSON mismatch, naming the value, and at its own severity', async () => {
    const outcome = await check({
      url: `${web.origin}/varz`,
      assertions: [
        { path: '$.slow_consumers', equals: 0 },
        { path: '$.connections', lessThan: 10, severity: 'warning' },
      ],
    });
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toBe(
      `GET ${web.origin}/varz: $.slow_consumers is 4, expected 0; $.connections is 12, expected < 10`,
    );
    expect(outcome.details?.['failedAssertions']).toEqual([
      expect.objectContaining({
        path: '$.slow_consumers',
        op: 'equals',
        expected: 0,
        failing: [{ path: '$.slow_consumers', value: 4 }],
      }),
      expect.objectContaining({ path: '$.connections', severity: 'warning' }),
    ]);
    const onlyWarning = await check({
      url: `${web.origin}/varz`,
      assertions: [{ path: '$.connections', lessThan: 10, severity: 'warning' }],
    });
    expect(onlyWarning.status).toBe('warning');
  });

  it('names Kafka Connect tasks and Flink jobs that are not running', async () => {
    const connector = await check({
      url: `${web.origin}/connectors/orders-cdc/status`,
      describe: 'connector {$.name} task {@.id}',
      assertions: [{ path: '$.tasks[*].state', equals: 'RUNNING' }],
    });
    expect(connector.summary).toBe(
      `GET ${web.origin}/connectors/orders-cdc/status: connector orders-cdc task 2 FAILED (expected RUNNING)`,
    );
    const flink = await check({
      url: `${web.origin}/jobs/overview`,
      describe: 'job {@.name}',
      assertions: [{ path: '$.jobs[*].state', equals: 'RUNNING' }],
    });
    expect(flink.summary).toMatch(/: job payments-agg FAILING \(expected RUNNING\)$/);
  });

  it('checks body text', async () => {
    const outcome = await check({
      url: `${web.origin}/html`,
      bodyContains: 'Welcome',
      bodyNotContains: ['nginx', 'Error'],
      bodyMatches: '<title>',
    });
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toMatch(/: body contains "nginx"; body does not match \/<title>\/$/);
  });

  it('is unknown for malformed JSON, a huge body and a refused port, with the reason', async () => {
    const malformed = await check({
      url: `${web.origin}/malformed`,
      assertions: [{ path: '$.status', equals: 'UP' }],
    });
    expect(malformed.status).toBe('unknown');
    expect(malformed.summary).toMatch(
      /: body is not JSON \(Unexpected end of JSON input; content-type application\/json\): \{"status": "UP"/,
    );
    const huge = await check({ url: `${web.origin}/huge` });
    expect(huge.status).toBe('unknown');
    expect(huge.summary).toBe(
      `GET ${web.origin}/huge: body is larger than the 1.0 MiB read limit (maxBodyBytes)`,
    );
    const down = await check({ url: `http://127.0.0.1:${refused}/varz` });
    expect(down).toMatchObject({
      status: 'unknown',
      summary: `GET http://127.0.0.1:${refused}/varz: connection refused (nothing listening on that port?)`,
      details: { errorKind: 'connect' },
    });
  });

  it('is unknown at its timeout for a hung endpoint, naming the phase', async () => {
    const started = performance.now();
    const outcome = await run(
      httpConfig({ url: `${web.origin}/hang`, timeoutSeconds: 1 }),
      checkContext(),
    );
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(
      /^GET .*\/hang: timed out after 1s waiting for the response headers$/,
    );
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('trusts a private CA over https and fails closed without it', async () => {
    const url = `https://localhost:${secure.port}/health`;
    expect((await check({ url, ca: pki.caFile })).status).toBe('ok');
    const untrusted = await check({ url });
    expect(untrusted.status).toBe('unknown');
    expect(untrusted.summary).toMatch(/: TLS: certificate not trusted/);
    expect((await check({ url, insecure: true })).status).toBe('ok');
  });

  it('checks that a port listens with tcp://', async () => {
    const open = await check({ url: `tcp://127.0.0.1:${web.port}` });
    expect(open.status).toBe('ok');
    expect(open.summary).toMatch(
      /^tcp:\/\/127\.0\.0\.1:\d+: port open, connected in \d+(\.\d)? m?s$/,
    );
    const closed = await check({ url: `tcp://127.0.0.1:${refused}` });
    expect(closed).toMatchObject({
      status: 'unknown',
      summary: `127.0.0.1:${refused}: connection refused (nothing listening on that port?)`,
    });
  });
});

describe('http check login flow', () => {
  const flow = (password: string, extra: Record<string, unknown> = {}) => ({
    url: `${web.origin}/api/orders`,
    headers: { authorization: 'Bearer {{token}}' },
    steps: [
      {
        name: 'login',
        url: `${web.origin}/login`,
        json: { username: loginUser.username, password },
        capture: { token: '$.access_token' },
      },
    ],
    ...extra,
  });

  it('logs in, uses the captured token, and never shows it', async () => {
    const outcome = await check(
      flow(loginUser.password, { assertions: [{ path: '$.echoed', equals: 'not-the-token' }] }),
    );
    const tokens = [...web.tokens];
    expect(tokens.length).toBeGreaterThan(0);
    const used = web.seen.filter((r) => r.path === '/api/orders').at(-1);
    expect(tokens).toContain(used?.headers.authorization?.replace('Bearer ', ''));
    // The API echoes the token; the failed assertion would show it, but it is scrubbed.
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toBe(
      `GET ${web.origin}/api/orders: $.echoed is ***, expected not-the-token`,
    );
    const everything = JSON.stringify(outcome);
    for (const token of tokens) expect(everything).not.toContain(token);
    expect(everything).not.toContain(loginUser.password);
    expect(outcome.details?.['steps']).toEqual([
      expect.objectContaining({
        step: 'step 1 (login)',
        request: `POST ${web.origin}/login`,
        status: 200,
        captured: ['token'],
      }),
    ]);
  });

  it('is ok after a good login and names the step', async () => {
    const outcome = await check(flow(loginUser.password));
    expect(outcome.status).toBe('ok');
    expect(outcome.summary).toMatch(
      /^GET .*\/api\/orders: 200 in \d+(\.\d)? m?s \(after login 200 in \d+(\.\d)? m?s\)$/,
    );
  });

  it('stops at a failing step and says which', async () => {
    const outcome = await check(flow('wrong-password'));
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toMatch(
      /^step 1 \(login\) POST .*\/login: status 401 \(expected 2xx\) in \d+(\.\d)? m?s: \{"error":"invalid credentials"\}$/,
    );
    expect(outcome.details?.['failedStep']).toBe(1);
  });

  it('fails a step whose capture finds nothing', async () => {
    const outcome = await check({
      url: `${web.origin}/api/orders`,
      headers: { authorization: 'Bearer {{token}}' },
      steps: [{ url: `${web.origin}/health`, capture: { token: '$.access_token' } }],
    });
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toMatch(
      /^step 1 GET .*\/health: capture token: \$\.access_token not found in the response$/,
    );
  });
});

describe('http check through the engine', () => {
  it('keeps secret header values and passwords out of the result', async () => {
    const apiKey = 'Api-Key-6b1f0e2c';
    const password = 'Basic-Pa55-91c2';
    const config = parseConfig(
      {
        checks: [
          {
            id: 'echo',
            type: 'http',
            url: `${web.origin}/echo`,
            headers: { 'x-api-key': '${secret:erp/api-key}' },
            auth: { basic: { username: 'ops', password: '${secret:erp/password}' } },
            // Fails, so the echoed headers land in details.body.
            assertions: [{ path: '$.method', equals: 'POST' }],
          },
        ],
      },
      { env: {} },
    );
    const [result] = await runChecks(config.checks, {
      timezone: 'UTC',
      loadCheck: loadCheckFromRegistry,
      secrets: new EnvSecretResolver({
        HEALTHCHECK_SECRET_ERP_API_KEY: apiKey,
        HEALTHCHECK_SECRET_ERP_PASSWORD: password,
      }),
    });
    expect(result?.status).toBe('critical');
    const seen = web.seen.filter((r) => r.path === '/echo').at(-1);
    expect(seen?.headers['x-api-key']).toBe(apiKey);
    const text = JSON.stringify(result);
    expect(text).toContain('x-api-key');
    expect(text).not.toContain(apiKey);
    expect(text).not.toContain(password);
    expect(text).not.toContain(Buffer.from(`ops:${password}`).toString('base64'));
  });

  it('takes a whole URL from a secret and checks it once resolved', async () => {
    const config = parseConfig(
      {
        checks: [
          { id: 'good', type: 'http', url: '${secret:erp/health-url}' },
          { id: 'bad', type: 'http', url: '${secret:erp/bad-url}' },
        ],
      },
      { env: {} },
    );
    const results = await runChecks(config.checks, {
      timezone: 'UTC',
      loadCheck: loadCheckFromRegistry,
      secrets: new EnvSecretResolver({
        HEALTHCHECK_SECRET_ERP_HEALTH_URL: `${web.origin}/health`,
        HEALTHCHECK_SECRET_ERP_BAD_URL: 'ftp://files.internal/health',
      }),
    });
    expect(results.map((r) => r.status)).toEqual(['ok', 'unknown']);
    expect(results[1]?.summary).toMatch(/url.*must start with http:\/\/, https:\/\/ or tcp:\/\//);
    expect(results[1]?.summary).not.toContain('files.internal');
  });
});
