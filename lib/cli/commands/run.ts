import { loadCheckFromRegistry } from '../../checks/load-check.ts';
import { loadConfigFile } from '../../config/load-config.ts';
import { EnvSecretResolver } from '../../config/references.ts';
import { UsageError } from '../../core/errors.ts';
import { executeRun } from '../../core/execute-run.ts';
import { exitCodeOf } from '../../core/run-report.ts';
import { selectChecks } from '../../core/select-checks.ts';
import { paletteFor } from '../colors.ts';
import { type Command, configOption, configPath, formatOption, stringList } from '../command.ts';
import { outputFormat } from '../output-format.ts';
import { progressFor } from '../progress.ts';
import { renderReport } from '../render-report.ts';

export const runCommand: Command = {
  name: 'run',
  summary: 'run checks once, record results, send alerts; exit 0/1/2/3 by the worst status',
  usage: [
    'healthcheck run --config FILE [--suite ID | --check ID]... [--format table|json]',
    '                [--state-dir DIR] [--concurrency N]',
    '',
    '  --suite ID        run a suite (repeatable); with no --suite/--check, every check runs',
    '  --check ID        run one check (repeatable)',
    '  --format F        table (default) or json',
    '  --state-dir DIR   embedded store location (default .healthcheck/)',
    '  --concurrency N   checks at once (default: defaults.concurrency, 32)',
    '',
    'Secrets: ${secret:ID} reads HEALTHCHECK_SECRET_<ID> locally, e.g. erp/pg -> HEALTHCHECK_SECRET_ERP_PG.',
  ].join('\n'),
  options: {
    ...configOption,
    ...formatOption,
    suite: { type: 'string', short: 's', multiple: true },
    check: { type: 'string', multiple: true },
    'state-dir': { type: 'string' },
    concurrency: { type: 'string' },
  },
  async run(values, io) {
    const format = outputFormat(values);
    const config = await loadConfigFile(configPath(values, io), { env: io.env });
    let concurrency: number | undefined;
    if (values['concurrency'] !== undefined) {
      concurrency = Number(values['concurrency']);
      if (!Number.isInteger(concurrency) || concurrency < 1) {
        throw new UsageError('--concurrency must be a positive whole number');
      }
    }
    const selection = { suites: stringList(values['suite']), checks: stringList(values['check']) };
    const progress = progressFor(io, selectChecks(config, selection).checks.length);
    const report = await executeRun(config, selection, {
      loadCheck: loadCheckFromRegistry,
      secrets: new EnvSecretResolver(io.env),
      ...(concurrency ? { concurrency } : {}),
      onStart: (check) => progress.started(check.id),
      onResult: (result) => progress.finished(result.check),
    });
    progress.done();
    const exitCode = exitCodeOf(report);
    if (format === 'json') io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else io.stdout.write(renderReport(report, paletteFor(io.stdout.isTTY, io.env), exitCode));
    return exitCode;
  },
};
