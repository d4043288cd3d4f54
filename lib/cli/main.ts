import { parseArgs } from 'node:util';
import { ConfigError, errorMessage, UsageError } from '../core/errors.ts';
import { StateDirNotFoundError, StoreError } from '../store/store-errors.ts';
import type { Command } from './command.ts';
import { doctorCommand } from './commands/doctor.ts';
import { historyCommand } from './commands/history.ts';
import { listCommand } from './commands/list.ts';
import { exitUnavailable, notifyTestCommand } from './commands/notify-test.ts';
import { replayCommand } from './commands/replay.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { statusCommand } from './commands/status.ts';
import { validateCommand } from './commands/validate.ts';
import { type CliIo, processIo } from './io.ts';
import { packageVersion, VersionUnknownError } from './version.ts';

/** Exit codes beyond the status ones (0-3): sysexits.h, as monitoring tools expect. */
export const exitUsage = 64;
export const exitInternal = 70;
/** The local store cannot be used (damaged, missing, read-only, not a directory, disk full): EX_IOERR. */
export const exitStoreUnusable = 74;
/** The local store stayed locked past this command's wait: EX_TEMPFAIL, try again later. */
export const exitStoreBusy = 75;

export function storeExitCode(error: StoreError): number {
  // A state dir that is not there at all is a mistyped --state-dir (SPEC: usage, 64).
  if (error instanceof StateDirNotFoundError) return exitUsage;
  return error.problem === 'busy' ? exitStoreBusy : exitStoreUnusable;
}

const commands: readonly Command[] = [
  runCommand,
  validateCommand,
  listCommand,
  statusCommand,
  historyCommand,
  reportCommand,
  notifyTestCommand,
  replayCommand,
  doctorCommand,
];

function versionOrUnknown(): string {
  try {
    return packageVersion();
  } catch {
    return '(version unknown)';
  }
}

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `healthcheck ${versionOrUnknown()}: run runbook health checks, alert once when something breaks`,
    '',
    'Usage: healthcheck <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -c, --config FILE   config file (default: $HEALTHCHECK_CONFIG or healthchecks.yaml)',
    '  -h, --help          help for a command: healthcheck run --help',
    '  -v, --version       print the version',
    '',
    'Exit codes: 0 ok, 1 warning, 2 critical, 3 unknown, 64 bad usage or config,',
    '            74 store unusable (see healthcheck doctor), 75 store busy (try again later).',
  ].join('\n');
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(`${overview()}\n`);
    return first === undefined ? exitUsage : 0;
  }
  if (first === '--version' || first === '-v') {
    try {
      io.stdout.write(`${packageVersion()}\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof VersionUnknownError)) throw error;
      io.stderr.write(`healthcheck: ${error.message}; reinstall it\n`);
      return exitInternal;
    }
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    io.stderr.write(`healthcheck: unknown command "${first}"\n\n${overview()}\n`);
    return exitUsage;
  }
  try {
    const { values } = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    });
    if (values['help']) {
      io.stdout.write(`Usage: ${command.usage}\n\n${command.summary}\n`);
      return 0;
    }
    return await command.run(values, io);
  } catch (error) {
    if (error instanceof StoreError) {
      // One line: what is wrong with which path, and the command that recovers it.
      io.stderr.write(`healthcheck ${command.name}: ${error.message}\n`);
      return storeExitCode(error);
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`healthcheck: ${error.message}\n`);
      return exitUsage;
    }
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      io.stderr.write(
        `healthcheck ${command.name}: ${errorMessage(error)}\nUsage: ${command.usage}\n`,
      );
      return exitUsage;
    }
    // The deployed results table could not be read (credentials, region, name): one line.
    if ((error as Error).name === 'DeployedStoreError') {
      io.stderr.write(`healthcheck ${command.name}: ${errorMessage(error)}\n`);
      return exitUnavailable;
    }
    io.stderr.write(`healthcheck ${command.name}: internal error: ${errorMessage(error)}\n`);
    if (io.env['HEALTHCHECK_DEBUG']) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return exitInternal;
  }
}
