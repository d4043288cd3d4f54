import { UsageError } from '../../core/errors.ts';
import { formatBytes } from '../../shared/format-bytes.ts';
import type { DoctorReport, FileReport } from '../../store/doctor.ts';
import { type Command, formatOption } from '../command.ts';
import { stateDirOf } from '../local-alerting.ts';
import { outputFormat } from '../output-format.ts';

const plural = (n: number, word: string) =>
  `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

function describeFile(f: FileReport): string[] {
  const name = f.file.split('/').pop() ?? f.file;
  const lines: string[] = [];
  switch (f.outcome) {
    case 'ok':
      lines.push(`  ${name}: ok`);
      break;
    case 'recreated':
      lines.push(`  ${name}: ${f.problems.join('; ')}: created an empty one`);
      break;
    case 'reset':
      lines.push(`  ${name}: reset to empty`);
      break;
    case 'repaired': {
      lines.push(`  ${name}: damaged (${f.problems.join('; ')})`);
      const groups = f.keptGroups ? ` and ${plural(f.keptGroups, 'grouped incident')}` : '';
      const kept = `kept ${plural(f.kept ?? 0, 'row')}${groups}`;
      const dropped = f.dropped ? `, dropped ${plural(f.dropped, 'damaged row')}` : '';
      lines.push(`    repaired: ${kept}${dropped}`);
      break;
    }
  }
  if (f.movedTo?.length)
    lines.push(`    old file kept as ${f.movedTo.join(', ')} (delete it when done)`);
  return lines;
}

export function renderDoctor(report: DoctorReport): string {
  if (!report.found) {
    return `${report.stateDir}: no store here yet; \`healthcheck run --state-dir ${report.stateDir}\` creates one\n`;
  }
  const lines = [`store ${report.stateDir}`];
  for (const f of report.files) lines.push(...describeFile(f));
  for (const action of report.actions) lines.push(`  ${action}`);
  if (report.lostStates.length > 0) {
    const shown = report.lostStates.slice(0, 10).join(', ');
    const more = report.lostStates.length > 10 ? ` and ${report.lostStates.length - 10} more` : '';
    lines.push(
      `  alert state lost for ${plural(report.lostStates.length, 'check')} (${shown}${more}): they start fresh, so one that is failing alerts again`,
    );
  }
  const c = report.contents;
  if (c) {
    const range = c.oldestRun ? ` from ${c.oldestRun} to ${c.newestRun}` : '';
    lines.push(
      `  holds ${plural(c.checks, 'check')} (${c.openAlerts} open alert${c.openAlerts === 1 ? '' : 's'}, ${plural(c.pendingNotifications, 'undelivered notification')}), ${plural(c.runs, 'recorded run')}${range}; ${formatBytes(c.bytes)}`,
    );
  }
  const changed = report.files.some((f) => f.outcome !== 'ok') || report.actions.length > 0;
  lines.push(changed ? 'The store is usable again.' : 'The store is healthy; nothing to do.');
  return `${lines.join('\n')}\n`;
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check the local store and repair it (or --reset it), keeping what can be kept',
  usage: [
    'healthcheck doctor [--state-dir DIR] [--reset] [--wait SECONDS] [--format table|json]',
    '',
    '  Verifies every page and row of the store in DIR (default .healthcheck/). A damaged file is',
    '  rebuilt from what can still be read; the damaged one is kept beside it as',
    '  <file>.damaged-<time>. An old embedded-DynamoDB store is imported. Runs with the store to',
    '  itself: it waits for running commands (up to --wait, default 120 s) and they wait for it.',
    '  --reset  start an empty store (failing checks page again; the old files are kept aside)',
  ].join('\n'),
  options: {
    ...formatOption,
    'state-dir': { type: 'string' },
    reset: { type: 'boolean' },
    wait: { type: 'string' },
  },
  async run(values, io) {
    const format = outputFormat(values);
    const waitSeconds = values['wait'] === undefined ? 120 : Number(values['wait']);
    if (!Number.isFinite(waitSeconds) || waitSeconds < 0) {
      throw new UsageError('--wait must be a number of seconds');
    }
    const { doctorStateDir } = await import('../../store/doctor.ts');
    const report = await doctorStateDir(stateDirOf(values, io), {
      reset: values['reset'] === true,
      waitMs: waitSeconds * 1000,
      onWait: (message) => io.stderr.write(`healthcheck doctor: ${message}\n`),
    });
    io.stdout.write(
      format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderDoctor(report),
    );
    return 0;
  },
};
