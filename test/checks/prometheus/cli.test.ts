import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Exporter,
  type PrometheusServer,
  startExporter,
  startPrometheus,
} from '../../support/prometheus-server.ts';
import { runCli } from '../../support/run-cli.ts';
import { useTempDirs } from '../../support/temp-dir.ts';

const tempDir = useTempDirs();
const metric = 'kafka_consumer_fetch_manager_metrics_records_lag_max';
const lag = (value: number) =>
  `# TYPE ${metric} gauge\n${metric}{consumergroup="payments",topic="orders-cdc"} ${value}\n${metric}{consumergroup="search",topic="products"} 40\n`;

let exporter: Exporter;
let prometheus: PrometheusServer;

beforeAll(async () => {
  exporter = await startExporter(lag(12_000));
  prometheus = await startPrometheus([{ job: 'lakehouse', targets: [exporter.target] }]);
  await prometheus.waitFor(metric, (s) => s.length === 2);
}, 60_000);

afterAll(async () => {
  await prometheus?.close();
  await exporter?.close();
});

async function lagIs(value: number) {
  exporter.serve(lag(value));
  await prometheus.waitFor(
    `${metric}{consumergroup="payments"}`,
    (s) => Number(s[0]?.value[1]) === value,
  );
}

describe('prometheus through the CLI', () => {
  it('acceptance: 12,000 vs critical 5,000 triggers naming the group, 3,000 stays critical, below 1,000 resolves', async () => {
    const dir = await tempDir();
    const file = join(dir, 'healthchecks.yaml');
    await writeFile(
      file,
      `timezone: Asia/Ho_Chi_Minh
suites:
  - id: lakehouse
    schedule: "rate(5 minutes)"
    checks: [kafka-lag]
checks:
  - id: kafka-lag
    type: prometheus
    url: ${prometheus.url}
    query: max by (consumergroup, topic) (${metric})
    label: consumer lag
    critical: 5000
    recover: 1000
    series: "{{consumergroup}}/{{topic}}"
    severity: P2
`,
    );
    const args = ['run', '--config', file, '--format', 'json', '--state-dir', join(dir, 'state')];
    const once = async () => {
      const result = await runCli(args, { cwd: dir });
      return { code: result.code, report: JSON.parse(result.stdout) };
    };

    const high = await once();
    expect(high.code).toBe(2);
    expect(high.report.results[0]).toMatchObject({
      status: 'critical',
      summary: 'consumer lag 12,000 > 5,000: payments/orders-cdc',
    });
    expect(high.report.alerts).toEqual([
      expect.objectContaining({ check: 'kafka-lag', event: 'trigger', severity: 'P2' }),
    ]);

    await lagIs(3000);
    const held = await once();
    expect(held.code).toBe(2);
    expect(held.report.results[0]).toMatchObject({
      status: 'critical',
      summary: 'consumer lag 3,000 (critical until < 1,000): payments/orders-cdc',
    });
    expect(held.report.alerts).toEqual([]);

    await lagIs(900);
    const cleared = await once();
    expect(cleared.code).toBe(0);
    expect(cleared.report.results[0]).toMatchObject({ status: 'ok' });
    expect(cleared.report.alerts).toEqual([
      expect.objectContaining({ check: 'kafka-lag', event: 'resolve' }),
    ]);
  }, 180_000);
});
