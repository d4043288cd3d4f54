import { type AlertNotification, dedupKeyOf, pagerDutySeverity } from '../alerting/notification.ts';
import type { PagerDutyEvent } from './pagerduty-client.ts';

/** Events API v2 limits. */
export const maxSummaryLength = 1024;
export const maxDedupKeyLength = 255;

function isUrl(text: string): boolean {
  return /^https?:\/\/\S+$/.test(text.trim());
}

export interface PagerDutyEventOptions {
  /**
   * The deployment's stage (`prod`, `staging`): prefixes the dedup key and the summary, so two
   * stacks paging one service never trigger or resolve each other's incidents.
   */
  readonly stage?: string;
}

/** The incident key: the check id (SPEC.md), under its stage when deployed with one. */
export function dedupKeyFor(check: string, stage?: string): string {
  return (stage ? `${stage}/${check}` : check).slice(0, maxDedupKeyLength);
}

/** Maps a notification to an Events API v2 event; dedup_key is the check id (SPEC.md). */
export function pagerDutyEventFor(
  n: AlertNotification,
  routingKey: string,
  options: PagerDutyEventOptions = {},
): PagerDutyEvent {
  const title = n.name ? `${n.name} (${n.check})` : n.check;
  const suppressed = n.suppressedDependents?.length
    ? ` (suppressed ${n.suppressedDependents.length} dependent check${n.suppressedDependents.length === 1 ? '' : 's'})`
    : '';
  // A grouped incident's summary already says what it is: "50 checks failing: <cause>".
  const what = n.group ? n.summary : `${title} ${n.status.toUpperCase()}: ${n.summary}`;
  const summary = `${options.stage ? `[${options.stage}] ` : ''}${what}${suppressed}`;
  const severity = n.event === 'resolve' ? 'info' : pagerDutySeverity(n.status);
  return {
    routing_key: routingKey,
    event_action: n.event === 'resolve' ? 'resolve' : 'trigger',
    // The check id, or a grouped incident's own key (one per suite and incident).
    dedup_key: dedupKeyFor(dedupKeyOf(n), options.stage),
    client: 'healthcheck',
    ...(n.runbook && isUrl(n.runbook)
      ? { links: [{ href: n.runbook.trim(), text: 'Runbook' }] }
      : {}),
    payload: {
      summary:
        summary.length > maxSummaryLength
          ? `${summary.slice(0, maxSummaryLength - 3)}...`
          : summary,
      source: `healthcheck/${options.stage ? `${options.stage}/` : ''}${n.suite ?? 'cli'}`,
      severity,
      timestamp: n.at,
      component: n.group ? (n.suite ?? 'healthcheck') : n.check,
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
        ...(n.group ? { checks: n.group.members, count: n.group.count } : {}),
        ...(n.group?.cause ? { cause: n.group.cause } : {}),
        ...(n.suppressedDependents?.length ? { suppressedDependents: n.suppressedDependents } : {}),
      },
    },
  };
}
