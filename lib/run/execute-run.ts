import { type AlertingDeps, processRun } from '../alerting/process-run.ts';
import type { Config } from '../config/load-config.ts';
import { type EngineOptions, runChecks } from '../core/engine.ts';
import { buildReport, type RunReport } from '../core/run-report.ts';
import { type Selection, selectChecks } from '../core/select-checks.ts';

export type ExecuteRunDeps = Omit<EngineOptions, 'timezone' | 'concurrency'> & {
  readonly concurrency?: number;
  /** Store + notifiers: record results and alert (see lib/alerting/process-run.ts). */
  readonly alerting?: AlertingDeps;
};

/** One run of the selected checks: the single core entry point the CLI and the Lambda share. */
export async function executeRun(
  config: Config,
  selection: Selection,
  deps: ExecuteRunDeps,
): Promise<RunReport> {
  const now = deps.now ?? (() => new Date());
  const selected = selectChecks(config, selection);
  const { alerting, ...engineDeps } = deps;
  const states = alerting
    ? await alerting.store.getStates(
        selected.checks.map((c) => c.id),
        alerting.signal,
      )
    : undefined;
  const startedAt = now();
  const results = await runChecks(selected.checks, {
    ...engineDeps,
    ...(states && !deps.previous ? { previous: (id) => states.get(id)?.lastResult } : {}),
    timezone: config.timezone,
    concurrency: deps.concurrency ?? config.defaults.concurrency,
  });
  const finishedAt = now();
  const alerts = alerting
    ? await processRun(
        {
          config,
          checks: selected.checks,
          suite: selected.suite,
          results,
          now: finishedAt,
          ...(states ? { states } : {}),
          ...(alerting.signal ? { signal: alerting.signal } : {}),
        },
        alerting,
      )
    : [];
  return buildReport(selected.suite, startedAt, finishedAt, results, alerts);
}
