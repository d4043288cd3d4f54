import type { RunReport } from '../core/run-report.ts';
import { type Status, statuses } from '../core/status.ts';
import { formatElapsed } from '../shared/format-duration.ts';
import { formatZonedTime } from '../shared/format-time.ts';
import type { Palette } from './colors.ts';
import { renderTable } from './render-table.ts';

/**
 * The table people read: worst first, then a one-line tally with the exit code and when the run
 * started, in the config's time zone.
 */
export function renderReport(
  report: RunReport,
  palette: Palette,
  exitCode: number,
  timeZone = 'UTC',
): string {
  const order = [...statuses].reverse();
  const rows = [...report.results]
    .sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status))
    .map((r) => [
      palette.status(r.status, r.status.toUpperCase()),
      r.check,
      r.type,
      formatElapsed(r.durationMs),
      r.summary,
    ]);
  const parts: string[] = [];
  if (rows.length === 0) parts.push('no checks selected');
  else parts.push(renderTable(['STATUS', 'CHECK', 'TYPE', 'TIME', 'SUMMARY'], rows));
  if (report.alerts.length > 0) {
    parts.push('');
    parts.push(palette.bold('Alerts'));
    // Members of a grouped incident are one line, not one per check: the incident has its own.
    const grouped = new Map<string, number>();
    for (const a of report.alerts) {
      if (a.grouped) grouped.set(a.grouped, (grouped.get(a.grouped) ?? 0) + 1);
    }
    for (const a of report.alerts) {
      if (a.grouped) continue;
      const pending = a.pending?.length ? ` (not delivered yet: ${a.pending.join(', ')})` : '';
      const held = a.held ? ` (held: ${a.held})` : '';
      const members = a.members ? ` (${a.members} checks)` : '';
      const suppressed = a.suppressedBy
        ? ` (suppressed: ${a.suppressedBy.join(', ')} failing)`
        : '';
      parts.push(
        `  ${a.event.padEnd(8)} ${a.check} ${a.severity}${a.status ? ` ${a.status}` : ''}${members}${pending}${held}${suppressed}`,
      );
    }
    for (const [key, count] of grouped) {
      parts.push(
        `  ${'grouped'.padEnd(8)} ${count} check${count === 1 ? '' : 's'} told through ${key}`,
      );
    }
  }
  const counts = order
    .map((s: Status) => [s, report.results.filter((r) => r.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => palette.status(s, `${n} ${s}`));
  const suite = report.suite ? `suite ${report.suite}: ` : '';
  parts.push('');
  parts.push(
    palette.dim(`${suite}${report.results.length} check${report.results.length === 1 ? '' : 's'}`) +
      (counts.length ? `, ${counts.join(', ')}` : '') +
      palette.dim(
        ` (exit ${exitCode}), started ${formatZonedTime(report.startedAt, timeZone, 'second')}`,
      ),
  );
  return `${parts.join('\n')}\n`;
}
