import type { ParseArgsOptionsConfig } from 'node:util';
import type { ResultStore } from '../alerting/result-store.ts';
import { UsageError } from '../core/errors.ts';
import type { OptionValues } from './command.ts';
import type { CliIo } from './io.ts';
import { stateDirOf } from './local-alerting.ts';
import { openLocalStore, readerWaitMs } from './open-store.ts';

/** Where read-only commands (status, history) read results: local, or a deployed checker. */
export const resultStoreOptions = {
  'state-dir': { type: 'string' },
  table: { type: 'string' },
  stack: { type: 'string' },
  region: { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

export const resultStoreUsage =
  '[--state-dir DIR | --table NAME [--region R] | --stack NAME [--region R]]';

export interface OpenedResultStore {
  readonly store: ResultStore;
  close(): Promise<void>;
}

function text(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The embedded store under --state-dir (opened read-only: a missing dir is an error, never
 * created), or the deployed results table:
 * `--table NAME` or `--stack NAME` (its ResultsTableName output), read with the AWS credentials
 * of the shell (lib/cli/deployed-store.ts, loaded only then).
 */
export async function openResultStore(values: OptionValues, io: CliIo): Promise<OpenedResultStore> {
  const table = text(values, 'table');
  const stack = text(values, 'stack');
  const region = text(values, 'region');
  if (table && stack) throw new UsageError('give --table or --stack, not both');
  if (table || stack) {
    if (text(values, 'state-dir')) {
      throw new UsageError(
        '--state-dir reads the local store; --table and --stack the deployed one',
      );
    }
    const { openDeployedStore } = await import('./deployed-store.ts');
    return openDeployedStore({
      ...(table ? { table } : {}),
      ...(stack ? { stack } : {}),
      ...(region ? { region } : {}),
    });
  }
  if (region) throw new UsageError('--region goes with --table or --stack');
  const stateDir = stateDirOf(values, io);
  // Read-only: works during a run, and on a state dir the user may not write.
  const local = await openLocalStore(stateDir, 'read-only', readerWaitMs);
  return {
    store: local.store,
    close: async () => {
      local.close();
    },
  };
}
