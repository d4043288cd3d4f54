import { type AlertNotification, dedupKeyOf } from '../alerting/notification.ts';
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
  const status = n.event === 'resolve' ? 'ok' : n.status.toUpperCase();
  if (n.group) {
    return asciiLine(
      `[${n.severity}] ${eventWord[n.event]} ${status}: ${n.summary}`,
      maxSubjectLength,
    );
  }
  const what = n.name ? `${n.name} (${n.check})` : n.check;
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

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** A grouped incident: the shared cause, then every member worst first, then what to do. */
function groupBody(n: AlertNotification, tz: string): string {
  const group = n.group as NonNullable<AlertNotification['group']>;
  const since = formatZonedTime(n.since, tz);
  const lines: string[] = [];
  if (n.event === 'resolve') {
    lines.push(`RESOLVED: ${n.summary}.`);
    lines.push(`The last of them recovered; failing since ${since} (${elapsed(n.since, n.at)}).`);
  } else {
    lines.push(`${n.summary}.`);
    lines.push(
      group.cause
        ? `They share: ${group.cause}. One grouped alert instead of ${plural(group.count, 'alert')}.`
        : `No shared cause found; one grouped alert instead of ${plural(group.count, 'alert')}.`,
    );
    lines.push(`Failing since ${since}.`, '', 'Checks, worst first:');
    for (const m of group.members) {
      const title = m.name ? `${m.name} (${m.check})` : m.check;
      lines.push(`  ${m.status.toUpperCase().padEnd(8)} ${m.severity}  ${title}: ${m.summary}`);
    }
    if (group.count > group.members.length) {
      lines.push(`  ... and ${group.count - group.members.length} more (healthcheck status)`);
    }
  }
  lines.push(
    '',
    `Severity: ${n.severity}    Suite: ${n.suite ?? '-'}    At: ${formatZonedTime(n.at, tz)}`,
  );
  if (n.event !== 'resolve') {
    lines.push(
      '',
      'Next steps:',
      '  1. Fix the shared cause first: the checks recover with it.',
      '  2. See every check: healthcheck status',
      '',
      'Each check still records its own results and resolves on its own; this incident resolves',
      'when the last of them is ok again.',
    );
  }
  lines.push('', `-- healthcheck (dedup key ${dedupKeyOf(n)}, notification ${n.id})`);
  return `${lines.join('\n')}\n`;
}

/** The plain-text body on-call reads at 3 AM: what broke, since when, what to do, how to silence. */
export function emailBody(n: AlertNotification, options: EmailOptions = {}): string {
  const tz = options.timeZone ?? 'UTC';
  if (n.group) return groupBody(n, tz);
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
  const suppressed = n.suppressedDependents ?? [];
  if (suppressed.length > 0) {
    lines.push(
      `Suppressed ${plural(suppressed.length, 'dependent check')} (dependsOn ${n.check}): ${suppressed.join(', ')}`,
      '',
    );
  }
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
      `  listing "${n.check}" to the config: checks keep running, new alerts are held (resolves go out).`,
    );
  }
  const details = JSON.stringify(n.details, null, 2);
  if (details !== '{}') lines.push('', 'Details:', details);
  lines.push('', `-- healthcheck (dedup key ${dedupKeyOf(n)}, notification ${n.id})`);
  return `${lines.join('\n')}\n`;
}
