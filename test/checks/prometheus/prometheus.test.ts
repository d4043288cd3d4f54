import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/prometheus/run.ts';
import { parseConfig } from '../../../lib/config/load-config.ts';
import type { CheckOutcome } from '../../../lib/core/result.ts';
import {
  type Exporter,
  freePort,
  type PrometheusServer,
  startExporter,
  startPrometheus,
} from '../../support/prometheus-server.ts';
import { recordedResult } from '../../support/recorded-result.ts';

type Config = Parameters<typeof run>[0];

let lakehouse: Exporter;
let erp: Exporter;
let prometheus: PrometheusServer;

const lagMetric = 'kafka_consumer_fetch_manager_metrics_records_lag_max';

function lagText(payments: number, analytics: number): string {
  return [
    `# TYPE ${lagMetric} gauge`,
    `${lagMetric}{consumergroup="payments",topic="orders-cdc",client_id="c-1"} ${payments}`,
    `${lagMetric}{consumergroup="payments",topic="orders-cdc",client_id="c-2"} ${Math.round(payments / 2)}`,
    `${lagMetric}{consumergroup="analytics",topic="clickstream",client_id="c-3"} ${analytics}`,
    '',
  ].join('\n');
}

// Request counts and a latency histogram per ERP service, as gauges so PromQL can divide and
// interpolate them on the first scrape.
const erpText = [
  '# TYPE erp_requests gauge',
  'erp_requests{service="erp-api"} 10000',
  'erp_requests{service="erp-wms"} 5000',
  'erp_requests{service="erp-auth"} 2000',
  '# TYPE erp_errors gauge',
  'erp_errors{service="erp-api"} 50',
  'erp_errors{service="erp-wms"} 10',
  'erp_errors{service="erp-auth"} 1',
  '# TYPE erp_request_duration_seconds_bucket gauge',
  ...[
    ['0.05', 100, 700],
    ['0.1', 300, 940],
    ['0.2', 700, 980],
    ['0.5', 900, 995],
    ['+Inf', 1000, 1000],
  ].flatMap(([le, api, wms]) => [
    `erp_request_duration_seconds_bucket{service="erp-api",le="${le}"} ${api}`,
    `erp_request_duration_seconds_bucket{service="erp-wms",le="${le}"} ${wms}`,
  ]),
  '# TYPE go_goroutines gauge',
  'go_goroutines{service="erp-api"} 12500',
  'go_goroutines{service="erp-wms"} 800',
  '',
].join('\n');

beforeAll(async () => {
  lakehouse = await startExporter(lagText(12_000, 200));
  erp = await startExporter(erpText);
  const dead = `127.0.0.1:${await freePort()}`;
  prometheus = await startPrometheus([
    { job: 'lakehouse-kafka', targets: [lakehouse.target] },
    { job: 'erp-gateway', targets: [erp.target] },
    { job: 'erp-wms', targets: [erp.target] },
    { job: 'erp-auth', targets: [dead] },
  ]);
  await prometheus.waitFor('up', (s) => s.length === 4);
}, 60_000);

afterAll(async () => {
  await prometheus?.close();
  await lakehouse?.close();
  await erp?.close();
});

function check(fields: Record<string, unknown>): Config {
  const config = parseConfig(
    { checks: [{ id: 'prom', type: 'prometheus', url: prometheus.url, ...fields }] },
    { env: {} },
  );
  return config.checks[0] as Config;
}

function context(previous?: CheckOutcome) {
  return {
    signal: AbortSignal.timeout(15_000),
    now: new Date(),
    timezone: 'UTC',
    ...(previous ? { previous: recordedResult(previous, { id: 'prom', type: 'prometheus' }) } : {}),
  };
}

async function lagIs(payments: number): Promise<void> {
  lakehouse.serve(lagText(payments, 200));
  await prometheus.waitFor(
    `max(${lagMetric}{consumergroup="payments"})`,
    (s) => Number(s[0]?.value[1]) === payments,
  );
}

describe('prometheus check against a real Prometheus', () => {
  const lag = () =>
    check({
      label: 'consumer lag',
      query: `max by (consumergroup, topic) (${lagMetric})`,
      critical: 5000,
      recover: 1000,
      series: '{{consumergroup}}/{{topic}}',
      unit: 'count',
    });

  it('lag 12,000 > 5,000 is critical naming the consumer group, stays critical at 3,000, clears below 1,000', async () => {
    await lagIs(12_000);
    const high = await run(lag(), context());
    expect(high).toMatchObject({
      status: 'critical',
      summary: 'consumer lag 12,000 > 5,000: payments/orders-cdc',
      details: {
        seriesCount: 2,
        failing: { 'payments/orders-cdc': 'critical' },
        series: [
          { name: 'payments/orders-cdc', value: 12_000, status: 'critical' },
          { name: 'analytics/clickstream', value: 200, status: 'ok' },
        ],
      },
    });

    await lagIs(3000);
    const held = await run(lag(), context(high));
    expect(held).toMatchObject({
      status: 'critical',
      summary: 'consumer lag 3,000 (critical until < 1,000): payments/orders-cdc',
      details: {
        series: [
          { name: 'payments/orders-cdc', value: 3000, status: 'critical', held: true },
          { name: 'analytics/clickstream', value: 200, status: 'ok' },
        ],
      },
    });
    // Without the previous result there is nothing to hold: 3,000 alone is below the threshold.
    expect((await run(lag(), context())).status).toBe('ok');

    const stillHeld = await run(lag(), context(held));
    expect(stillHeld.status).toBe('critical');

    await lagIs(800);
    const cleared = await run(lag(), context(stillHeld));
    expect(cleared).toMatchObject({
      status: 'ok',
      summary:
        'consumer lag ok: 2 series, worst payments/orders-cdc 800 (critical > 5,000, clears < 1,000)',
      details: { failing: {} },
    });
  }, 60_000);

  it('error rate per service as a ratio, worst first, with the unit', async () => {
    const outcome = await run(
      check({
        label: 'error rate',
        query: 'erp_errors{job="erp-gateway"} / erp_requests{job="erp-gateway"}',
        unit: 'ratio',
        warning: 0.001,
        critical: 0.004,
        series: '{{service}}',
      }),
      context(),
    );
    expect(outcome).toMatchObject({
      status: 'critical',
      summary: 'error rate 0.5% > 0.4%: erp-api, erp-wms 0.2%',
      details: {
        series: [
          { name: 'erp-api', status: 'critical' },
          { name: 'erp-wms', status: 'warning' },
          { name: 'erp-auth', status: 'ok' },
        ],
      },
    });
  });

  it('p95 latency from a histogram, shown in ms against a limit in seconds', async () => {
    const query =
      'histogram_quantile(0.95, sum by (le, service) (erp_request_duration_seconds_bucket{job="erp-gateway"}))';
    const answer = await prometheus.query(query);
    const api = Number(answer.find((s) => s.metric['service'] === 'erp-api')?.value[1]);
    const outcome = await run(
      check({ label: 'p95', query, unit: 's', critical: 0.2, series: '{{service}}' }),
      context(),
    );
    expect(api).toBeGreaterThan(0.2);
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toBe(`p95 ${Math.round(api * 1000)} ms > 200 ms: erp-api`);
  });

  it('"13/13 services healthy": too few up series is critical; op < names the one that is down', async () => {
    const healthy = await run(
      check({ query: 'up{job=~"erp-.*"} == 1', expectSeries: { min: 3 } }),
      context(),
    );
    expect(healthy).toMatchObject({
      status: 'critical',
      summary: '2 series, expected at least 3',
    });
    const down = await run(
      check({
        label: 'up',
        query: 'up{job=~"erp-.*"}',
        op: '<',
        critical: 1,
        series: '{{job}}',
        expectSeries: { min: 3 },
      }),
      context(),
    );
    expect(down).toMatchObject({ status: 'critical', summary: 'up 0 < 1: erp-auth' });
    const enough = await run(
      check({ query: 'up{job=~"erp-.*"} == 1', expectSeries: { min: 2 } }),
      context(),
    );
    expect(enough).toMatchObject({ status: 'ok', summary: 'ok: 2 series (expected at least 2)' });
  });

  it('go_goroutines over 10,000 names the instance by its labels by default', async () => {
    const outcome = await run(
      check({ query: 'go_goroutines{job="erp-gateway"}', critical: 10_000 }),
      context(),
    );
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toBe(
      `12,500 > 10,000: go_goroutines{instance="${erp.target}", job="erp-gateway", service="erp-api"}`,
    );
  });

  it('no data is unknown by default, or what noData says', async () => {
    const absent = await run(check({ query: 'erp_no_such_metric', critical: 1 }), context());
    expect(absent).toMatchObject({
      status: 'unknown',
      summary: 'no series: the query returned nothing',
    });
    const fine = await run(
      check({ query: 'erp_no_such_metric', critical: 1, noData: 'ok' }),
      context(),
    );
    expect(fine.status).toBe('ok');
  });

  it('a scalar is one unlabelled value; a range vector is unknown with what to do', async () => {
    const scalar = await run(
      check({
        label: 'total requests',
        query: 'scalar(sum(erp_requests{job="erp-gateway"}))',
        warning: 10_000,
      }),
      context(),
    );
    expect(scalar).toMatchObject({ status: 'warning', summary: 'total requests 17,000 > 10,000' });
    const range = await run(check({ query: 'erp_requests[1m]', warning: 1 }), context());
    expect(range.status).toBe('unknown');
    expect(range.summary).toMatch(/^the query returns a range vector/);
  });

  it("a bad query is unknown with Prometheus' own error text; failing series stay remembered", async () => {
    await lagIs(12_000);
    const previous = await run(lag(), context());
    expect(previous.details?.['failing']).toEqual({ 'payments/orders-cdc': 'critical' });
    const outcome = await run(
      check({ query: 'sum(rate(erp_requests[5m])', critical: 1, recover: 0 }),
      context(previous),
    );
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(
      /^Prometheus query failed \(HTTP 400, bad_data\): .*parse error: unclosed left parenthesis/,
    );
    expect(outcome.details?.['failing']).toEqual(previous.details?.['failing']);
  });

  it('a Prometheus that never answers is unknown before the deadline, keeping the failing series', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      await lagIs(12_000);
      const previous = await run(lag(), context());
      expect(previous.status).toBe('critical');
      const outcome = await run(
        { ...lag(), url: `http://127.0.0.1:${port}`, timeoutSeconds: 1 },
        context(previous),
      );
      expect(outcome).toMatchObject({
        status: 'unknown',
        summary: expect.stringMatching(
          new RegExp(
            `^no answer from Prometheus at http://127\\.0\\.0\\.1:${port}: timed out after [\\d.]+s waiting for the response headers$`,
          ),
        ),
        details: { failing: previous.details?.['failing'] },
      });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('an unreachable Prometheus is unknown naming it', async () => {
    const port = await freePort();
    const outcome = await run(
      check({ url: `http://127.0.0.1:${port}`, query: 'up', critical: 0 }),
      context(),
    );
    expect(outcome).toMatchObject({
      status: 'unknown',
      summary: `cannot reach Prometheus at http://127.0.0.1:${port}: connection refused (nothing listening on that port?)`,
    });
  });
});
