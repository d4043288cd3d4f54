import type { RunReport } from '../../lib/core/run-report.ts';
import { dimensionNames, metricNames, statusMetricValue } from '../../lib/infra/telemetry-names.ts';

export type MetricUnitName = 'Count' | 'Milliseconds' | 'None';

export interface MetricDatum {
  readonly name: string;
  readonly unit: MetricUnitName;
  readonly values: readonly number[];
}

/** One EMF record: a dimension set and the metrics measured under it. */
export interface MetricRecord {
  readonly dimensions: Record<string, string>;
  readonly metrics: readonly MetricDatum[];
}

export interface RunMetricOptions {
  /**
   * Also one CheckStatus metric per check (a custom metric each, about $0.30 a month); otherwise
   * each check's status is only in the runner's log (`check result` lines).
   * @default false
   */
  readonly perCheck?: boolean;
}

/**
 * The metrics of one suite run: per suite and check type (checks run, failed, durations), per
 * check when asked (its status as a number), and one SuiteCompleted for the dashboard. The stage
 * dimension is added to all of them by the handler.
 */
export function runMetricRecords(
  suite: string,
  report: RunReport,
  options: RunMetricOptions = {},
): MetricRecord[] {
  const byType = new Map<string, { run: number; failed: number; durations: number[] }>();
  for (const result of report.results) {
    const entry = byType.get(result.type) ?? { run: 0, failed: 0, durations: [] };
    entry.run += 1;
    if (result.status !== 'ok') entry.failed += 1;
    entry.durations.push(result.durationMs);
    byType.set(result.type, entry);
  }
  const records: MetricRecord[] = [];
  for (const [type, entry] of byType) {
    records.push({
      dimensions: { [dimensionNames.suite]: suite, [dimensionNames.checkType]: type },
      metrics: [
        { name: metricNames.checksRun, unit: 'Count', values: [entry.run] },
        { name: metricNames.checksFailed, unit: 'Count', values: [entry.failed] },
        { name: metricNames.checkDuration, unit: 'Milliseconds', values: entry.durations },
      ],
    });
  }
  for (const result of options.perCheck ? report.results : []) {
    records.push({
      dimensions: { [dimensionNames.check]: result.check },
      metrics: [
        { name: metricNames.checkStatus, unit: 'None', values: [statusMetricValue[result.status]] },
      ],
    });
  }
  records.push({
    dimensions: { [dimensionNames.suite]: suite },
    metrics: [{ name: metricNames.suiteCompleted, unit: 'Count', values: [1] }],
  });
  return records;
}
