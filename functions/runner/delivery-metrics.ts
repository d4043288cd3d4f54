import type { AlertNotice } from '../../lib/core/run-report.ts';
import { dimensionNames, metricNames } from '../../lib/infra/telemetry-names.ts';
import type { MetricRecord } from './run-metrics.ts';

/**
 * Per channel: notifications delivered, still pending, and refused for good. The refusals drive
 * the "notifications refused" alarm (a wrong or rotated PagerDuty routing key must not go
 * unnoticed); pending shows an outage on the dashboard.
 */
export function deliveryMetricRecords(alerts: readonly AlertNotice[]): MetricRecord[] {
  const byChannel = new Map<string, { delivered: number; pending: number; refused: number }>();
  const count = (channel: string, field: 'delivered' | 'pending' | 'refused') => {
    const entry = byChannel.get(channel) ?? { delivered: 0, pending: 0, refused: 0 };
    entry[field] += 1;
    byChannel.set(channel, entry);
  };
  for (const alert of alerts) {
    for (const channel of alert.delivered ?? []) count(channel, 'delivered');
    for (const channel of alert.pending ?? []) count(channel, 'pending');
    for (const channel of alert.failed ?? []) count(channel, 'refused');
  }
  return [...byChannel].map(([channel, counts]) => ({
    dimensions: { [dimensionNames.channel]: channel },
    metrics: [
      { name: metricNames.notificationsDelivered, unit: 'Count', values: [counts.delivered] },
      { name: metricNames.notificationsPending, unit: 'Count', values: [counts.pending] },
      { name: metricNames.notificationsRefused, unit: 'Count', values: [counts.refused] },
    ],
  }));
}
