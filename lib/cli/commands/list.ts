import { loadConfigFile } from '../../config/load-config.ts';
import { scheduleOutlook } from '../../report/next-runs.ts';
import { formatNextRun } from '../../schedule/next-run.ts';
import { describeTimeZone } from '../../shared/format-time.ts';
import { paletteFor } from '../colors.ts';
import { type Command, configOption, configPath, formatOption } from '../command.ts';
import { outputFormat } from '../output-format.ts';
import { renderTable } from '../render-table.ts';

export const listCommand: Command = {
  name: 'list',
  summary: 'list the suites (schedule, next run) and checks a config defines',
  usage: 'healthcheck list --config FILE [--format table|json]',
  options: { ...configOption, ...formatOption },
  async run(values, io) {
    const config = await loadConfigFile(configPath(values, io), { env: false });
    const now = new Date();
    const tz = config.timezone;
    // No store is opened here, so rate() schedules have no last run to estimate from.
    const outlook = scheduleOutlook(config, now);
    const suitesOf = (id: string): string[] =>
      config.suites.filter((s) => s.checks.includes(id)).map((s) => s.id);
    const checks = config.checks.map((c) => ({
      id: c.id,
      type: c.type,
      severity: c.severity,
      suites: suitesOf(c.id),
      ...(c.name ? { name: c.name } : {}),
      nextRunAt: outlook.checks.get(c.id)?.at?.toISOString() ?? null,
    }));
    if (outputFormat(values) === 'json') {
      const suites = config.suites.map((s) => ({
        id: s.id,
        schedule: s.schedule,
        checks: s.checks,
        nextRunAt: outlook.suites.get(s.id)?.at?.toISOString() ?? null,
      }));
      io.stdout.write(`${JSON.stringify({ timezone: tz, suites, checks }, null, 2)}\n`);
      return 0;
    }
    const palette = paletteFor(io.stdout.isTTY, io.env);
    io.stdout.write(`${palette.dim(`Times in ${describeTimeZone(tz, now)}.`)}\n\n`);
    if (config.suites.length > 0) {
      io.stdout.write(
        `${renderTable(
          ['SUITE', 'SCHEDULE', 'NEXT RUN', 'CHECKS'],
          config.suites.map((s) => [
            s.id,
            `${s.schedule} ${tz}`,
            formatNextRun(outlook.suites.get(s.id) ?? { certainty: 'none' }, tz, now),
            s.checks.join(', '),
          ]),
        )}\n\n`,
      );
    }
    io.stdout.write(
      `${renderTable(
        ['CHECK', 'TYPE', 'SEVERITY', 'SUITES', 'NEXT RUN', 'NAME'],
        checks.map((c) => {
          const next = outlook.checks.get(c.id);
          return [
            c.id,
            c.type,
            c.severity,
            c.suites.join(', ') || '-',
            next ? formatNextRun(next, tz, now) : 'not scheduled',
            c.name ?? '',
          ];
        }),
      )}\n`,
    );
    return 0;
  },
};
