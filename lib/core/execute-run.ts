import type { Config } from '../config/load-config.ts';
import { type EngineOptions, runChecks } from './engine.ts';
import { buildReport, type RunReport } from './run-report.ts';
import { type Selection, selectChecks } from './select-checks.ts';

export type ExecuteRunDeps = Omit<EngineOptions, 'timezone' | 'concurrency'> & {
  readonly concurrency?: number;
};

/** One run of the selected checks: the single core entry point the CLI and the Lambda share. */
export async function executeRun(
  config: Config,
  selection: Selection,
  deps: ExecuteRunDeps,
): Promise<RunReport> {
  const now = deps.now ?? (() => new Date());
  const selected = selectChecks(config, selection);
  const startedAt = now();
  const results = await runChecks(selected.checks, {
    ...deps,
    timezone: config.timezone,
    concurrency: deps.concurrency ?? config.defaults.concurrency,
  });
  return buildReport(selected.suite, startedAt, now(), results);
}
