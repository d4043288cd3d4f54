import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { durationSeconds } from '../../config/fields.ts';
import { type Config, loadConfigFile } from '../../config/load-config.ts';
import { UsageError } from '../../core/errors.ts';
import { didYouMean } from '../../shared/closest-match.ts';
import { formatElapsed } from '../../shared/format-duration.ts';
import { describeTimeZone, formatZonedTime } from '../../shared/format-time.ts';
import { paletteFor } from '../colors.ts';
import {
  type Command,
  configOption,
  defaultConfigFile,
  formatOption,
  type OptionValues,
} from '../command.ts';
import type { CliIo } from '../io.ts';
import { outputFormat } from '../output-format.ts';
import { renderTable } from '../render-table.ts';
import { openResultStore, resultStoreOptions, resultStoreUsage } from '../result-store-option.ts';

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

/**
 * The config gives history its time zone, the check's name and a "did you mean" for a mistyped
 * id. It is optional: an explicit --config (or $HEALTHCHECK_CONFIG) must load; the default
 * healthchecks.yaml is used only when it exists; without one, times are shown in UTC.
 */
async function optionalConfig(values: OptionValues, io: CliIo): Promise<Config | undefined> {
  const given =
    typeof values['config'] === 'string' ? values['config'] : io.env['HEALTHCHECK_CONFIG'];
  if (given !== undefined && given !== '')
    return loadConfigFile(resolve(io.cwd, given), { env: false, source: given });
  const fallback = resolve(io.cwd, defaultConfigFile);
  if (!existsSync(fallback)) return undefined;
  return loadConfigFile(fallback, { env: false, source: defaultConfigFile });
}

export const historyCommand: Command = {
  name: 'history',
  summary: "show one check's recorded results over a time range",
  usage: [
    'healthcheck history --check ID [--since TIME] [--until TIME] [--limit N] [--config FILE]',
    `                    ${resultStoreUsage} [--format table|json]`,
    '',
    '  TIME is ISO 8601 or a duration back from now (24h, 7d). Newest --limit (default 100) runs, oldest first.',
    '  --config (default healthchecks.yaml when present) sets the time zone times are shown in and',
    '  checks that the id exists.',
  ].join('\n'),
  options: {
    ...formatOption,
    ...configOption,
    check: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    limit: { type: 'string' },
    ...resultStoreOptions,
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
    const config = await optionalConfig(values, io);
    const checkConfig = config?.checks.find((c) => c.id === check);
    if (config && !checkConfig) {
      const hint = didYouMean(
        check,
        config.checks.map((c) => c.id),
      );
      throw new UsageError(`no check "${check}" in the config${hint} (see: healthcheck list)`);
    }
    const opened = await openResultStore(values, io);
    let records: Awaited<ReturnType<typeof opened.store.history>>;
    try {
      records = await opened.store.history(check, {
        ...(since ? { since } : {}),
        ...(until ? { until } : {}),
        limit,
      });
    } finally {
      await opened.close();
    }
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify({ check, runs: records }, null, 2)}\n`);
      return 0;
    }
    const tz = config?.timezone ?? 'UTC';
    const title = checkConfig?.name ? `${check} (${checkConfig.name})` : check;
    if (records.length === 0) {
      io.stdout.write(`no recorded runs of ${title} in that range\n`);
      return 0;
    }
    const palette = paletteFor(io.stdout.isTTY, io.env);
    const first = records[0];
    const last = records.at(-1);
    const zoneNote = config
      ? `times in ${describeTimeZone(tz, now)}`
      : 'times in UTC (pass --config for the config time zone)';
    io.stdout.write(
      `${palette.bold(title)}: ${records.length} run${records.length === 1 ? '' : 's'} from ${formatZonedTime(first?.scheduledTime ?? first?.at, tz)} to ${formatZonedTime(last?.scheduledTime ?? last?.at, tz)}; ${palette.dim(zoneNote)}\n\n`,
    );
    io.stdout.write(
      `${renderTable(
        ['TIME', 'STATUS', 'SUITE', 'TOOK', 'SUMMARY'],
        records.map((r) => [
          formatZonedTime(r.scheduledTime ?? r.at, tz, 'second'),
          palette.status(r.result.status, r.result.status.toUpperCase()),
          r.suite ?? '-',
          formatElapsed(r.result.durationMs),
          r.result.summary,
        ]),
      )}\n`,
    );
    return 0;
  },
};
