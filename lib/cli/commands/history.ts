import { durationSeconds } from '../../config/fields.ts';
import { UsageError } from '../../core/errors.ts';
import { paletteFor } from '../colors.ts';
import { type Command, formatOption } from '../command.ts';
import { stateDirOf } from '../local-alerting.ts';
import { openLocalStore, readerWaitMs } from '../open-store.ts';
import { outputFormat } from '../output-format.ts';
import { renderTable } from '../render-table.ts';

/** An ISO time, or a duration back from now ("24h", "7d"). */
function timeOption(name: string, value: unknown, now: Date): Date | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (/^\d+[smhdw]$/.test(text)) return new Date(now.getTime() - durationSeconds(text) * 1000);
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(
      `--${name} must be an ISO time (2026-11-22T08:00:00+07:00) or a duration like 24h or 7d`,
    );
  }
  return date;
}

export const historyCommand: Command = {
  name: 'history',
  summary: "show one check's recorded results over a time range",
  usage: [
    'healthcheck history --check ID [--since TIME] [--until TIME] [--limit N] [--state-dir DIR] [--format table|json]',
    '',
    '  TIME is ISO 8601 or a duration back from now (24h, 7d). Newest --limit (default 100) runs, oldest first.',
  ].join('\n'),
  options: {
    ...formatOption,
    check: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    limit: { type: 'string' },
    'state-dir': { type: 'string' },
    config: { type: 'string', short: 'c' },
  },
  async run(values, io) {
    const format = outputFormat(values);
    const check = values['check'];
    if (typeof check !== 'string' || check === '') throw new UsageError('--check ID is required');
    const now = new Date();
    const since = timeOption('since', values['since'], now);
    const until = timeOption('until', values['until'], now);
    const limit = values['limit'] === undefined ? 100 : Number(values['limit']);
    if (!Number.isInteger(limit) || limit < 1)
      throw new UsageError('--limit must be a positive whole number');
    const local = await openLocalStore(stateDirOf(values, io), 'read-only', readerWaitMs);
    let records: Awaited<ReturnType<typeof local.store.history>>;
    try {
      records = await local.store.history(check, {
        ...(since ? { since } : {}),
        ...(until ? { until } : {}),
        limit,
      });
    } finally {
      local.close();
    }
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify({ check, runs: records }, null, 2)}\n`);
      return 0;
    }
    if (records.length === 0) {
      io.stdout.write(`no recorded runs of ${check} in that range\n`);
      return 0;
    }
    const palette = paletteFor(io.stdout.isTTY, io.env);
    io.stdout.write(
      `${renderTable(
        ['TIME', 'STATUS', 'SUITE', 'TIME TAKEN', 'SUMMARY'],
        records.map((r) => [
          r.scheduledTime ?? r.at,
          palette.status(r.result.status, r.result.status.toUpperCase()),
          r.suite ?? '-',
          `${r.result.durationMs}ms`,
          r.result.summary,
        ]),
      )}\n`,
    );
    return 0;
  },
};
