import { loadConfigFile } from '../../config/load-config.ts';
import { type Command, configOption, configPath, formatOption } from '../command.ts';
import { outputFormat } from '../output-format.ts';
import { renderTable } from '../render-table.ts';

export const listCommand: Command = {
  name: 'list',
  summary: 'list the suites and checks a config defines',
  usage: 'healthcheck list --config FILE [--format table|json]',
  options: { ...configOption, ...formatOption },
  async run(values, io) {
    const config = await loadConfigFile(configPath(values, io), { env: false });
    const suitesOf = (id: string): string[] =>
      config.suites.filter((s) => s.checks.includes(id)).map((s) => s.id);
    const checks = config.checks.map((c) => ({
      id: c.id,
      type: c.type,
      severity: c.severity,
      suites: suitesOf(c.id),
      ...(c.name ? { name: c.name } : {}),
    }));
    if (outputFormat(values) === 'json') {
      const suites = config.suites.map((s) => ({
        id: s.id,
        schedule: s.schedule,
        checks: s.checks,
      }));
      io.stdout.write(
        `${JSON.stringify({ timezone: config.timezone, suites, checks }, null, 2)}\n`,
      );
      return 0;
    }
    if (config.suites.length > 0) {
      io.stdout.write(
        `${renderTable(
          ['SUITE', 'SCHEDULE', 'CHECKS'],
          config.suites.map((s) => [s.id, `${s.schedule} ${config.timezone}`, s.checks.join(', ')]),
        )}\n\n`,
      );
    }
    io.stdout.write(
      `${renderTable(
        ['CHECK', 'TYPE', 'SEVERITY', 'SUITES', 'NAME'],
        checks.map((c) => [c.id, c.type, c.severity, c.suites.join(', ') || '-', c.name ?? '']),
      )}\n`,
    );
    return 0;
  },
};
