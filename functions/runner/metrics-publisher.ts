import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricRecord } from './run-metrics.ts';

const units = {
  Count: MetricUnit.Count,
  Milliseconds: MetricUnit.Milliseconds,
  None: MetricUnit.NoUnit,
} as const;

/**
 * Writes records through Powertools: each record has its own dimension set, so each is flushed
 * as its own EMF line; the last one is left for the logMetrics middleware to flush when the
 * invocation ends. A record never holds more values than one flush (see `maxValuesPerRecord`);
 * if Powertools flushed it itself on its last value, there is nothing left to flush.
 */
export function createMetricsPublisher(metrics: Metrics) {
  return (records: readonly MetricRecord[]): void => {
    records.forEach((record, index) => {
      metrics.addDimensions(record.dimensions);
      for (const metric of record.metrics) {
        for (const value of metric.values)
          metrics.addMetric(metric.name, units[metric.unit], value);
      }
      if (index < records.length - 1 && metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    });
  };
}
