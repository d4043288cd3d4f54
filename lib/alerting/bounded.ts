import { sanitizeValue } from '../core/sanitize.ts';

/** Notification details kept per outbox entry: small, so a long outage's backlog fits one item. */
export const maxNotificationDetailsBytes = 4 * 1024;

export function notificationDetails(details: Record<string, unknown>): Record<string, unknown> {
  const size = Buffer.byteLength(JSON.stringify(details));
  if (size <= maxNotificationDetailsBytes) return details;
  const smaller = sanitizeValue(details, [], {
    maxStringLength: 200,
    maxArrayLength: 10,
    maxDepth: 4,
  }) as Record<string, unknown>;
  if (Buffer.byteLength(JSON.stringify(smaller)) <= maxNotificationDetailsBytes) {
    return { ...smaller, truncated: true };
  }
  return { truncated: true, originalBytes: size };
}

/** Summaries are one human sentence; a runaway one is cut so it fits every channel. */
export const maxNotificationSummaryLength = 1000;

export function boundedSummary(summary: string): string {
  return summary.length > maxNotificationSummaryLength
    ? `${summary.slice(0, maxNotificationSummaryLength - 3)}...`
    : summary;
}
