import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/alertmanager/run.ts';
import { parseConfig } from '../../../lib/config/load-config.ts';
import { refusedPort } from '../../support/tls-servers.ts';
import { startTestHttpServer, type TestHttpServer } from '../http/http-test-server.ts';
import { type RealAlertmanager, startAlertmanager } from './alertmanager-server.ts';

type Config = Parameters<typeof run>[0];
const hour = 3_600_000;
let am: RealAlertmanager;
let silenceId = '';

function check(fields: Record<string, unknown>) {
  const config = parseConfig(
    { checks: [{ id: 'alerts', type: 'alertmanager', url: am.url, ...fields }] },
    { env: {} },
  ).checks[0] as Config;
  return run(config, { signal: AbortSignal.timeout(15_000), now: new Date(), timezone: 'UTC' });
}

beforeAll(async () => {
  am = await startAlertmanager();
  await am.postAlerts([
    {
      labels: { alertname: 'KafkaConsumerLagHigh', severity: 'critical', topic: 'orders' },
      annotations: { summary: 'Consumer group orders-enrich is 120k messages behind' },
      firingForMs: 2 * hour + 10 * 60_000,
    },
    {
      labels: { alertname: 'DiskAlmostFull', severity: 'warning', instance: 'node-a' },
      firingForMs: 30 * 60_000,
    },
    {
      labels: { alertname: 'ErpApiDown', severity: 'P1', service: 'erp-api' },
      firingForMs: 15 * 60_000,
    },
    { labels: { alertname: 'NightlyBatchSlow', severity: 'P2' }, firingForMs: 3 * hour },
    { labels: { alertname: 'Watchdog', severity: 'none' }, firingForMs: 10 * hour },
  ]);
  silenceId = await am.silence('NightlyBatchSlow');
  await am.waitForAlerts(
    (alerts) =>
      alerts.length === 5 &&
      alerts.some(
        (a) => a.labels['alertname'] === 'NightlyBatchSlow' && a.status.state === 'suppressed',
      ),
  );
}, 60_000);

afterAll(async () => {
  await am?.stop();
});

describe('alertmanager check against a real Alertmanager', () => {
  it('reports what is firing, leaving out the silenced alert and the watchdog', async () => {
    const outcome = await check({});
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toBe(
      '3 alerts firing: KafkaConsumerLagHigh{topic=orders} critical for 2h10m, ErpApiDown{service=erp-api} P1 for 15m, DiskAlmostFull{instance=node-a} warning for 30m',
    );
    expect(outcome.details).toMatchObject({ firing: 3, returned: 4, ignored: 1 });
    expect((outcome.details?.['alerts'] as { summary?: string }[] | undefined)?.[0]?.summary).toBe(
      'Consumer group orders-enrich is 120k messages behind',
    );
  });

  it('passes matchers to the API (the morning "no P1/P2" look)', async () => {
    const outcome = await check({ matchers: ['severity=~"critical|P1|P2"'] });
    expect(outcome.summary).toBe(
      '2 alerts firing: KafkaConsumerLagHigh{topic=orders} critical for 2h10m, ErpApiDown{service=erp-api} P1 for 15m',
    );
    const quiet = await check({ matchers: 'severity="P4"' });
    expect(quiet).toMatchObject({
      status: 'ok',
      summary: 'no alerts firing matching severity="P4"',
    });
  });

  it('includes the silenced alert when asked, marked as such', async () => {
    const outcome = await check({ includeSilenced: true, matchers: 'severity="P2"' });
    expect(outcome.summary).toBe('1 alert firing: NightlyBatchSlow P2 for 3h (silenced)');
    expect(
      (outcome.details?.['alerts'] as { silencedBy?: string[] }[] | undefined)?.[0]?.silencedBy,
    ).toEqual([silenceId]);
  });

  it("is critical when the dead-man's switch is not firing, ok when it is", async () => {
    const missing = await check({ expectWatchdog: 'DeadMansSwitch', matchers: 'severity="P4"' });
    expect(missing.status).toBe('critical');
    expect(missing.summary).toMatch(/^alerting pipeline silent: DeadMansSwitch is not firing/);
    const present = await check({ expectWatchdog: true, matchers: 'severity="P4"' });
    expect(present.status).toBe('ok');
  });

  it('maps severities by statusBySeverity and ignores young alerts', async () => {
    const relaxed = await check({
      statusBySeverity: { critical: 'warning', P1: 'warning' },
      minFiringMinutes: 20,
    });
    expect(relaxed.status).toBe('warning');
    expect(relaxed.summary).toMatch(/^2 alerts firing: KafkaConsumerLagHigh/);
    expect(relaxed.details).toMatchObject({ younger: 1 });
  });

  it('is unknown with the reason when Alertmanager is down or the URL is not Alertmanager', async () => {
    const port = await refusedPort();
    const down = await check({ url: `http://127.0.0.1:${port}` });
    expect(down).toMatchObject({
      status: 'unknown',
      summary: `Alertmanager http://127.0.0.1:${port}: connection refused (nothing listening on that port?)`,
    });
    const web: TestHttpServer = await startTestHttpServer();
    try {
      const outcome = await check({ url: web.origin });
      expect(outcome.status).toBe('unknown');
      expect(outcome.summary).toMatch(
        /HTTP 404 for \/api\/v2\/alerts: is url the Alertmanager base URL/,
      );
    } finally {
      await web.close();
    }
  });
});
