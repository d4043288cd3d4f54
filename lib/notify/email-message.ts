import type { AlertNotification } from '../alerting/notification.ts';
import { formatDuration } from '../shared/format-duration.ts';
import { formatZonedTime } from '../shared/format-time.ts';
import { asciiLine } from './ascii-text.ts';

/** SNS rejects subjects that are not ASCII, contain line breaks or reach 100 characters. */
export const maxSubjectLength = 99;

const eventWord: Record<AlertNotification['event'], string> = {
  trigger: 'ALERT',
  resolve: 'RESOLVED',
  reminder: 'STILL FAILING',
};

export function emailSubject(n: AlertNotification): string {
  const what = n.name ? `${n.name} (${n.check})` : n.check;
  const status = n.event === 'resolve' ? 'ok' : n.status.toUpperCase();
  return asciiLine(
    `[${n.severity}] ${eventWord[n.event]} ${status}: ${what} - ${n.summary}`,
    maxSubjectLength,
  );
}

function elapsed(fromIso: string, toIso: string): string {
  return formatDuration(Date.parse(toIso) - Date.parse(fromIso));
}

export interface EmailOptions {
  /** Times are written in this IANA zone, with the offset (the config's `timezone`). @default 'UTC' */
  readonly timeZone?: string;
}

/** Why the check is failing now, compared with before: "(was ok)", "(first run)", "(was warning)". */
function previously(n: AlertNotification): string {
  if (n.firstRun) return ' on its first recorded run';
  // A reminder's previous status is the one it is still in: nothing to compare.
  if (n.event === 'reminder') return '';
  return ` (was ${n.previousStatus})`;
}

/** The plain-text body on-call reads at 3 AM: what broke, since when, what to do, how to silence. */
export function emailBody(n: AlertNotification, options: EmailOptions = {}): string {
  const tz = options.timeZone ?? 'UTC';
  const title = n.name ? `${n.name} (${n.check})` : n.check;
  const since = formatZonedTime(n.since, tz);
  const lines: string[] = [];
  if (n.event === 'resolve') {
    lines.push(`RESOLVED: ${title} is ok again.`);
    lines.push(`It had been failing since ${since} (${elapsed(n.since, n.at)}).`);
  } else {
    const verb = n.event === 'reminder' ? 'is still' : 'is now';
    lines.push(`${title} ${verb} ${n.status.toUpperCase()}${previously(n)}.`);
    lines.push(`Failing since ${since} (${elapsed(n.since, n.at)}).`);
  }
  lines.push('', `What the check saw: ${n.summary}`, '');
  lines.push(
    `Severity: ${n.severity}    Suite: ${n.suite ?? '-'}    At: ${formatZonedTime(n.at, tz)}`,
  );
  if (n.runbook) lines.push('', 'Runbook:', `  ${n.runbook}`);
  if (n.event !== 'resolve') {
    lines.push(
      '',
      'Next steps:',
      '  1. Follow the runbook above (or your team runbook for this system).',
      `  2. Re-run the check to confirm: healthcheck run --check ${n.check}`,
      `  3. See its recent results: healthcheck history --check ${n.check}`,
      '',
      'How to silence:',
      '  Fixing the problem sends a RESOLVED message; no further alerts are sent while it stays',
      '  failing (unless remindEvery is set). For planned work, add a maintenanceWindows entry',
      `  listing "${n.check}" to the config: checks keep running but notifications are held.`,
    );
  }
  const details = JSON.stringify(n.details, null, 2);
  if (details !== '{}') lines.push('', 'Details:', details);
  lines.push('', `-- healthcheck (dedup key ${n.check}, notification ${n.id})`);
  return `${lines.join('\n')}\n`;
}
