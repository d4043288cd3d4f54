import { type AlertingDeps, processRun } from '../alerting/process-run.ts';
import type { StoredCheckState } from '../alerting/result-store.ts';
import type { CheckConfig, Config } from '../config/load-config.ts';
import { type EngineOptions, runChecks } from '../core/engine.ts';
import { buildReport, type RunReport } from '../core/run-report.ts';
import { type Selection, selectChecks } from '../core/select-checks.ts';

export type ExecuteRunDeps = Omit<EngineOptions, 'timezone' | 'concurrency' | 'scheduledTime'> & {
  readonly concurrency?: number;
  /** Store + notifiers: record results and alert (see lib/alerting/process-run.ts). */
  readonly alerting?: AlertingDeps;
  /**
   * The slot this run stands for when there is no alerting (with alerting, `alerting.scheduledTime`
   * is used): backup date tokens and maintenance windows follow it.
   */
  readonly scheduledTime?: Date;
};

/**
 * Checks the last run skipped (its budget ended first) go first, then config order, so a budget
 * that is too short does not starve the same tail every run.
 */
export function runOrder(
  checks: readonly CheckConfig[],
  states: ReadonlyMap<string, StoredCheckState> | undefined,
): CheckConfig[] {
  if (!states) return [...checks];
  const skipped = (c: CheckConfig) => (states.get(c.id)?.skipped ? 0 : 1);
  return [...checks].sort((a, b) => skipped(a) - skipped(b));
}

/**
 * One run of the selected checks: the entry point the CLI and the Lambda share. Composes the
 * engine (lib/core) and the alerting core (lib/alerting); neither knows the other.
 */
export async function executeRun(
  config: Config,
  selection: Selection,
  deps: ExecuteRunDeps,
): Promise<RunReport> {
  const now = deps.now ?? (() => new Date());
  const selected = selectChecks(config, selection);
  const { alerting, scheduledTime: given, ...engineDeps } = deps;
  const scheduledTime = alerting?.scheduledTime ?? given;
  const states = alerting
    ? await alerting.store.getStates(
        selected.checks.map((c) => c.id),
        alerting.signal,
      )
    : undefined;
  const startedAt = now();
  const ordered = runOrder(selected.checks, states);
  const ran = await runChecks(ordered, {
    ...engineDeps,
    ...(states && !deps.previous ? { previous: (id) => states.get(id)?.lastResult } : {}),
    ...(scheduledTime ? { scheduledTime } : {}),
    timezone: config.timezone,
    concurrency: deps.concurrency ?? config.defaults.concurrency,
  });
  const position = new Map(selected.checks.map((c, i) => [c.id, i]));
  const results = [...ran].sort(
    (a, b) => (position.get(a.check) ?? 0) - (position.get(b.check) ?? 0),
  );
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
