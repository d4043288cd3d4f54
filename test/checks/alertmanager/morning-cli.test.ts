import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.ts';
import { createTestPki, inDays } from '../../support/tls-certificates.ts';
import { startTestHttpServer, type TestHttpServer } from '../http/http-test-server.ts';
import { type RealNats, startNats } from '../http/nats-server.ts';
import { type RealAlertmanager, startAlertmanager } from './alertmanager-server.ts';

// The ERP runbook's 08:00 checklist: API Gateway responding, NATS healthy, no critical alerts.
let dir = '';
let api: TestHttpServer;
let nats: RealNats;
let am: RealAlertmanager;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'healthcheck-morning-'));
  const pki = await createTestPki(dir);
  [api, nats, am] = await Promise.all([
    pki
      .issue({ names: ['localhost'], notAfter: inDays(90) })
      .then((issued) => startTestHttpServer(issued)),
    startNats(),
    startAlertmanager(),
  ]);
  await am.postAlerts([
    {
      labels: { alertname: 'ErpOrderQueueStuck', severity: 'P1', queue: 'orders' },
      firingForMs: 95 * 60_000,
    },
    { labels: { alertname: 'Watchdog', severity: 'none' }, firingForMs: 86_400_000 },
  ]);
  await am.waitForAlerts((alerts) => alerts.length === 2);
  await writeFile(
    join(dir, 'healthchecks.yaml'),
    `timezone: Asia/Ho_Chi_Minh
suites:
  - id: erp-morning
    schedule: "cron(0 8 * * ? *)"
    checks: [erp-api-gateway, erp-nats, erp-no-critical-alerts]
checks:
  - id: erp-api-gateway
    type: http
    severity: P1
    url: https://localhost:${api.port}/health
    ca: ${pki.caFile}
    responseTimeMs: {warning: 5000}
    assertions:
      - {path: $.status, equals: UP}
  - id: erp-nats
    type: http
    severity: P2
    url: ${nats.monitor}/varz
    assertions:
      - {path: $.slow_consumers, equals: 0}
  - id: erp-no-critical-alerts
    type: alertmanager
    severity: P2
    url: ${am.url}
    matchers: ['severity=~"critical|P1|P2"']
    expectWatchdog: true
`,
  );
}, 90_000);

afterAll(async () => {
  await Promise.all([api?.close(), nats?.stop(), am?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe('the ERP morning checklist through the CLI', () => {
  it('runs the API gateway, NATS and Alertmanager items from one config', async () => {
    const cli = await runCli([
      'run',
      '--config',
      join(dir, 'healthchecks.yaml'),
      '--suite',
      'erp-morning',
      '--format',
      'json',
      '--state-dir',
      join(dir, 'state'),
    ]);
    expect(cli.stderr).not.toMatch(/internal error/);
    const report = JSON.parse(cli.stdout) as {
      results: { check: string; type: string; status: string; summary: string }[];
    };
    const byId = Object.fromEntries(report.results.map((r) => [r.check, r]));
    expect(byId['erp-api-gateway']).toMatchObject({ type: 'http', status: 'ok' });
    expect(byId['erp-nats']).toMatchObject({ type: 'http', status: 'ok' });
    expect(byId['erp-no-critical-alerts']).toMatchObject({
      type: 'alertmanager',
      status: 'critical',
      summary: '1 alert firing: ErpOrderQueueStuck{queue=orders} P1 for 1h35m',
    });
    expect(cli.code).toBe(2);
  }, 60_000);
});
