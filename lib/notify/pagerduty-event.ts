import { type AlertNotification, pagerDutySeverity } from '../alerting/notification.ts';
import type { PagerDutyEvent } from './pagerduty-client.ts';

/** Events API v2 limits. */
export const maxSummaryLength = 1024;
export const maxDedupKeyLength = 255;

function isUrl(text: string): boolean {
  return /^https?:\/\/\S+$/.test(text.trim());
}

/** Maps a notification to an Events API v2 event; dedup_key is the check id (SPEC.md). */
export function pagerDutyEventFor(n: AlertNotification, routingKey: string): PagerDutyEvent {
  const title = n.name ? `${n.name} (${n.check})` : n.check;
  const summary = `${title} ${n.status.toUpperCase()}: ${n.summary}`;
  const severity = n.event === 'resolve' ? 'info' : pagerDutySeverity(n.status);
  return {
    routing_key: routingKey,
    event_action: n.event === 'resolve' ? 'resolve' : 'trigger',
    dedup_key: n.check.slice(0, maxDedupKeyLength),
    client: 'healthcheck',
    ...(n.runbook && isUrl(n.runbook)
      ? { links: [{ href: n.runbook.trim(), text: 'Runbook' }] }
      : {}),
    payload: {
      summary:
        summary.length > maxSummaryLength
          ? `${summary.slice(0, maxSummaryLength - 3)}...`
          : summary,
      source: `healthcheck/${n.suite ?? 'cli'}`,
      severity,
      timestamp: n.at,
      component: n.check,
      ...(n.suite ? { group: n.suite } : {}),
      class: n.status,
      custom_details: {
        event: n.event,
        status: n.status,
        previousStatus: n.previousStatus,
        severity: n.severity,
        since: n.since,
        summary: n.summary,
        ...(n.runbook ? { runbook: n.runbook } : {}),
        details: n.details,
      },
    },
  };
}
