import { loadCheckFromRegistry } from '../../checks/load-check.ts';
import { loadConfigFile } from '../../config/load-config.ts';
import { EnvSecretResolver } from '../../config/references.ts';
import { UsageError } from '../../core/errors.ts';
import { exitCodeOf } from '../../core/run-report.ts';
import type { LocalEmail } from '../../notify/local-email-notifier.ts';
import { executeRun, selectRun } from '../../run/execute-run.ts';
import { InvalidShardError, parseShardRef, type ShardRef } from '../../shard/shard-ref.ts';
import { paletteFor } from '../colors.ts';
import { type Command, configOption, configPath, formatOption, stringList } from '../command.ts';
import { localNotifiers, stateDirOf, stderrLogger } from '../local-alerting.ts';
import { openLocalStore, preloadLocalStore, runWaitMs } from '../open-store.ts';
import { outputFormat } from '../output-format.ts';
import { PhaseTimings } from '../phase-timings.ts';
import { progressFor } from '../progress.ts';
import { renderEmails } from '../render-emails.ts';
import { renderReport } from '../render-report.ts';

function scheduledTimeOf(value: unknown): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(`--scheduled-time must be an ISO 8601 time, not "${String(value)}"`);
  }
  return date;
}

function shardOf(value: unknown): ShardRef | undefined {
  if (value === undefined) return undefined;
  try {
    return parseShardRef(String(value));
  } catch (error) {
    if (error instanceof InvalidShardError) throw new UsageError(`--shard: ${error.message}`);
    throw error;
  }
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run checks once, record results, send alerts; exit 0/1/2/3 by the worst status',
  usage: [
    'healthcheck run --config FILE [--suite ID | --check ID]... [--format table|json]',
    '                [--state-dir DIR] [--scheduled-time ISO] [--concurrency N] [--shard I/N]',
    '',
    '  --suite ID            run a suite (repeatable); with no --suite/--check, every check runs',
    '  --check ID            run one check (repeatable)',
    '  --format F            table (default) or json',
    '  --state-dir DIR       embedded store and email outbox (default .healthcheck/)',
    '  --scheduled-time ISO  the slot this run stands for: backup dates and maintenance windows',
    '                        follow it; a second run for the same suite and slot alerts nothing',
    '  --concurrency N       checks at once (default: defaults.concurrency, 128)',
    '  --shard I/N           run shard I of N of one --suite: the same split the AWS state',
    "                        machine runs (synth prints each sharded suite's N)",
    '  --verbose             print each local email in full (default: one line each)',
    '',
    'Secrets: ${secret:ID} reads HEALTHCHECK_SECRET_<ID> locally, e.g. erp/pg -> HEALTHCHECK_SECRET_ERP_PG.',
  ].join('\n'),
  options: {
    ...configOption,
    ...formatOption,
    suite: { type: 'string', short: 's', multiple: true },
    check: { type: 'string', multiple: true },
    'state-dir': { type: 'string' },
    'scheduled-time': { type: 'string' },
    concurrency: { type: 'string' },
    shard: { type: 'string' },
    verbose: { type: 'boolean' },
  },
  async run(values, io) {
    const timings = new PhaseTimings(io.env);
    const format = outputFormat(values);
    const stateDir = stateDirOf(values, io);
    preloadLocalStore();
    const config = await loadConfigFile(configPath(values, io), { env: io.env });
    timings.mark('config');
    let concurrency: number | undefined;
    if (values['concurrency'] !== undefined) {
      concurrency = Number(values['concurrency']);
      if (!Number.isInteger(concurrency) || concurrency < 1) {
        throw new UsageError('--concurrency must be a positive whole number');
      }
    }
    const scheduledTime = scheduledTimeOf(values['scheduled-time']);
    const shard = shardOf(values['shard']);
    const selection = {
      suites: stringList(values['suite']),
      checks: stringList(values['check']),
      ...(shard ? { shard } : {}),
    };
    const selected = selectRun(config, selection).checks;
    // Import the check types' code while the store opens; the engine reuses these imports.
    for (const type of new Set(selected.map((check) => check.type))) {
      loadCheckFromRegistry(type).catch(() => {});
    }
    const progress = progressFor(io, selected.length);
    const emails: LocalEmail[] = [];
    const local = await openLocalStore(
      stateDir,
      'read-write',
      runWaitMs(selected, concurrency ?? config.defaults.concurrency),
    );
    timings.mark('storeOpen');
    try {
      const report = await executeRun(config, selection, {
        loadCheck: loadCheckFromRegistry,
        secrets: new EnvSecretResolver(io.env),
        ...(concurrency ? { concurrency } : {}),
        onStart: (check) => progress.started(check.id),
        onResult: (result) => progress.finished(result.check),
        alerting: {
          store: local.store,
          notifiers: await localNotifiers(config, { stateDir, io, print: (t) => emails.push(t) }),
          logger: stderrLogger(io),
          ...(scheduledTime ? { scheduledTime } : {}),
        },
      });
      progress.done();
      timings.split('prepare', report, 'alerting');
      const exitCode = exitCodeOf(report);
      const verbose = values['verbose'] === true;
      if (format === 'json') {
        // stdout stays one JSON document; the printed emails go to stderr.
        io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        io.stderr.write(
          renderEmails(emails, { verbose, palette: paletteFor(io.stderr.isTTY, io.env) }),
        );
      } else {
        const palette = paletteFor(io.stdout.isTTY, io.env);
        io.stdout.write(renderReport(report, palette, exitCode, config.timezone));
        io.stdout.write(renderEmails(emails, { verbose, palette }));
      }
      timings.mark('output');
      timings.report(io);
      return exitCode;
    } finally {
      local.close();
    }
  },
};
