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
 * Values one record may carry per metric. Powertools flushes a metric at 100 values and clears
 * the dimensions as it does, so the 101st duration of a type would lose its `checkType` (and
 * vanish from the dashboard's SEARCH); each record stays within one flush instead.
 */
export const maxValuesPerRecord = 100;

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
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
    const dimensions = { [dimensionNames.suite]: suite, [dimensionNames.checkType]: type };
    const batches = chunks(entry.durations, maxValuesPerRecord);
    records.push({
      dimensions,
      metrics: [
        { name: metricNames.checksRun, unit: 'Count', values: [entry.run] },
        { name: metricNames.checksFailed, unit: 'Count', values: [entry.failed] },
        { name: metricNames.checkDuration, unit: 'Milliseconds', values: batches[0] ?? [] },
      ],
    });
    for (const batch of batches.slice(1)) {
      records.push({
        dimensions,
        metrics: [{ name: metricNames.checkDuration, unit: 'Milliseconds', values: batch }],
      });
    }
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
