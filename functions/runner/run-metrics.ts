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

/**
 * The metrics of one suite run: per check type (checks run, failed, durations), per check (its
 * status as a number) and one SuiteCompleted, whose absence the missing-data alarm watches.
 */
export function runMetricRecords(suite: string, report: RunReport): MetricRecord[] {
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
      dimensions: { [dimensionNames.checkType]: type },
      metrics: [
        { name: metricNames.checksRun, unit: 'Count', values: [entry.run] },
        { name: metricNames.checksFailed, unit: 'Count', values: [entry.failed] },
        { name: metricNames.checkDuration, unit: 'Milliseconds', values: entry.durations },
      ],
    });
  }
  for (const result of report.results) {
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
