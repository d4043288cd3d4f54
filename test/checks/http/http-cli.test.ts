import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { refusedPort } from '../../support/tls-servers.ts';
import { startTestHttpServer, type TestHttpServer } from './http-test-server.ts';

const tempDir = useTempDirs();
let web: TestHttpServer;
let refused = 0;

beforeAll(async () => {
  web = await startTestHttpServer();
  refused = await refusedPort();
});

afterAll(async () => {
  await web?.close();
});

interface Result {
  check: string;
  type: string;
  status: string;
  summary: string;
  durationMs: number;
  details: Record<string, unknown>;
}

describe('http through the healthcheck CLI', () => {
  it('gives ok, warning, critical, critical, unknown, unknown, and the hung one ends at its timeout', async () => {
    const dir = await tempDir();
    const file = join(dir, 'healthchecks.yaml');
    await writeFile(
      file,
      `timezone: Asia/Ho_Chi_Minh
defaults:
  timeoutSeconds: 10
checks:
  - id: api-healthy
    type: http
    url: ${web.origin}/health
    assertions:
      - {path: $.status, equals: UP}
  - id: api-slow
    type: http
    url: ${web.origin}/slow?ms=700
    responseTimeMs: {warning: 300, critical: 8000}
  - id: api-503
    type: http
    url: ${web.origin}/unavailable
  - id: nats-varz
    type: http
    url: ${web.origin}/varz
    assertions:
      - {path: $.slow_consumers, equals: 0}
  - id: api-refused
    type: http
    url: http://127.0.0.1:${refused}/api/v1/health
  - id: api-hung
    type: http
    url: ${web.origin}/hang
    timeoutSeconds: 4
`,
    );
    const cli = await runCli([
      'run',
      '--config',
      file,
      '--format',
      'json',
      '--state-dir',
      join(dir, 'state'),
    ]);
    expect(cli.stderr).not.toMatch(/internal error/);
    expect(cli.code).toBe(2);
    const report = JSON.parse(cli.stdout) as { results: Result[] };
    const byId = Object.fromEntries(report.results.map((r) => [r.check, r]));
    expect(Object.fromEntries(report.results.map((r) => [r.check, r.status]))).toEqual({
      'api-healthy': 'ok',
      'api-slow': 'warning',
      'api-503': 'critical',
      'nats-varz': 'critical',
      'api-refused': 'unknown',
      'api-hung': 'unknown',
    });
    expect(byId['api-healthy']?.summary).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/health: 200 in \d+(\.\d)? m?s$/,
    );
    expect(byId['api-slow']?.summary).toMatch(
      /: responded in \d+(\.\d)? m?s, over responseTimeMs\.warning \(300 ms\)$/,
    );
    expect(byId['api-503']?.summary).toMatch(
      /\/unavailable: status 503 \(expected 2xx\) in \d+(\.\d)? m?s/,
    );
    expect(byId['nats-varz']?.summary).toBe(
      `GET ${web.origin}/varz: $.slow_consumers is 4, expected 0`,
    );
    expect(byId['api-refused']?.summary).toBe(
      `GET http://127.0.0.1:${refused}/api/v1/health: connection refused (nothing listening on that port?)`,
    );
    expect(byId['api-hung']?.summary).toBe(
      `GET ${web.origin}/hang: timed out after 4s waiting for the response headers`,
    );
    // The hung check ends at its own 4 s, not the 10 s default; the others do not wait for it.
    const hung = byId['api-hung']?.durationMs ?? 0;
    expect(hung).toBeGreaterThanOrEqual(3800);
    expect(hung).toBeLessThan(9000);
    for (const id of ['api-healthy', 'api-slow', 'api-503', 'nats-varz', 'api-refused']) {
      expect(byId[id]?.durationMs, id).toBeLessThan(3800);
    }
    expect(byId['api-healthy']?.details['timings']).toMatchObject({ dnsMs: 0 });
  }, 60_000);

  it('rejects a bad assertion in validate with the field path', async () => {
    const dir = await tempDir();
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      `checks:
  - id: api
    type: http
    url: https://erp.company.vn/api/v1/health
    expectStatus: [200, "20x"]
    assertions:
      - {path: $.status}
      - {path: "$.jobs[", equals: RUNNING}
      - {path: $.version, matches: "(["}
`,
    );
    const validate = await runCli(['validate', '--config', file]);
    expect(validate.code).toBe(64);
    expect(validate.stderr).toMatch(/checks\[0\]\.expectStatus\[1\]: expected a status code/);
    expect(validate.stderr).toMatch(/checks\[0\]\.assertions\[0\]: needs one op/);
    expect(validate.stderr).toMatch(/checks\[0\]\.assertions\[1\]\.path: not a valid JSONPath/);
    expect(validate.stderr).toMatch(/checks\[0\]\.assertions\[2\]\.matches: bad regex/);
  });
});
