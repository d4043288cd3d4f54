import type { AlertNotification } from '../alerting/notification.ts';
import { compareStatus } from '../core/status.ts';
import { asciiLine } from './ascii-text.ts';
import { type EmailOptions, emailBody, emailSubject, maxSubjectLength } from './email-message.ts';

/**
 * One email for a run's notifications (the digest): new alerts and reminders first, worst status
 * and most urgent severity first, then the resolves. Each keeps its own full text.
 */
export function digestOrder(list: readonly AlertNotification[]): AlertNotification[] {
  const rank = (n: AlertNotification) => (n.event === 'resolve' ? 1 : 0);
  return [...list].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      compareStatus(b.status, a.status) ||
      a.severity.localeCompare(b.severity) ||
      a.check.localeCompare(b.check),
  );
}

function counts(list: readonly AlertNotification[]): string {
  const alerts = list.filter((n) => n.event === 'trigger').length;
  const reminders = list.filter((n) => n.event === 'reminder').length;
  const resolved = list.filter((n) => n.event === 'resolve').length;
  return [
    alerts ? `${alerts} alert${alerts === 1 ? '' : 's'}` : '',
    reminders ? `${reminders} still failing` : '',
    resolved ? `${resolved} resolved` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** "[P1] 3 alerts, 2 resolved: <the worst one's subject>". */
export function digestSubject(list: readonly AlertNotification[]): string {
  const severity = [...list.map((n) => n.severity)].sort()[0];
  // The subject's [P1] and its headline must be the same alert: the worst of the most urgent
  // severity (a P1 outage of 200 checks, not a P3 disk that happens to be critical).
  const headline = digestOrder(list).find((n) => n.severity === severity) as AlertNotification;
  const first = emailSubject(headline).replace(/^\[P\d\] /, '');
  return asciiLine(`[${severity}] ${counts(list)}: ${first}`, maxSubjectLength);
}

export function digestBody(list: readonly AlertNotification[], options: EmailOptions = {}): string {
  const ordered = digestOrder(list);
  const rule = '-'.repeat(72);
  const parts = [
    `healthcheck: ${counts(list)} in this run (one email per run; worst first).`,
    '',
    ...ordered.map((n, i) => `${rule}\n${i + 1}. ${emailSubject(n)}\n\n${emailBody(n, options)}`),
  ];
  return `${parts.join('\n')}`;
}
