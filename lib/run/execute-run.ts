import { type AlertingDeps, processRun } from '../alerting/process-run.ts';
import type { StoredCheckState } from '../alerting/result-store.ts';
import type { CheckConfig, Config } from '../config/load-config.ts';
import { type EngineOptions, runChecks } from '../core/engine.ts';
import type { CheckResult } from '../core/result.ts';
import { buildReport, type RunReport } from '../core/run-report.ts';
import { type SelectedChecks, type Selection, selectChecks } from '../core/select-checks.ts';
import type { ShardRef } from '../shard/shard-ref.ts';
import { selectShard } from '../shard/suite-shards.ts';

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

/** What a run selects: suites and checks (lib/core/select-checks.ts), or one shard of a suite. */
export type RunSelection = Selection & {
  /** Run only this shard of the selection (lib/shard/suite-shards.ts). */
  readonly shard?: ShardRef;
};

export function selectRun(config: Config, selection: RunSelection): SelectedChecks {
  const { shard, ...rest } = selection;
  return shard ? selectShard(config, rest, shard) : selectChecks(config, rest);
}

/** The stored states of the selected checks, read once before the run (when alerting). */
export async function readStates(
  selected: SelectedChecks,
  alerting: AlertingDeps | undefined,
): Promise<Map<string, StoredCheckState> | undefined> {
  return alerting
    ? alerting.store.getStates(
        selected.checks.map((c) => c.id),
        alerting.signal,
      )
    : undefined;
}

/** Runs the selected checks (no recording): results in config order, skipped ones first run. */
export async function runSelected(
  config: Config,
  selected: SelectedChecks,
  states: ReadonlyMap<string, StoredCheckState> | undefined,
  deps: ExecuteRunDeps,
): Promise<CheckResult[]> {
  const { alerting, scheduledTime: given, ...engineDeps } = deps;
  const scheduledTime = alerting?.scheduledTime ?? given;
  const ordered = runOrder(selected.checks, states);
  const ran = await runChecks(ordered, {
    ...engineDeps,
    ...(states && !deps.previous ? { previous: (id) => states.get(id)?.lastResult } : {}),
    ...(scheduledTime ? { scheduledTime } : {}),
    timezone: config.timezone,
    concurrency: deps.concurrency ?? config.defaults.concurrency,
    concurrencyPerTarget: config.defaults.concurrencyPerTarget,
  });
  const position = new Map(selected.checks.map((c, i) => [c.id, i]));
  return [...ran].sort((a, b) => (position.get(a.check) ?? 0) - (position.get(b.check) ?? 0));
}

/**
 * After the checks ran (here, or in a suite's shards on AWS): record results and alert once for
 * the whole selection, then build the report.
 */
export async function recordAndAlert(
  config: Config,
  selected: SelectedChecks,
  results: readonly CheckResult[],
  run: {
    readonly startedAt: Date;
    readonly finishedAt: Date;
    readonly states?: Map<string, StoredCheckState> | undefined;
  },
  alerting: AlertingDeps | undefined,
): Promise<RunReport> {
  const alerts = alerting
    ? await processRun(
        {
          config,
          checks: selected.checks,
          suite: selected.suite,
          results,
          now: run.finishedAt,
          ...(run.states ? { states: run.states } : {}),
          ...(alerting.signal ? { signal: alerting.signal } : {}),
        },
        alerting,
      )
    : [];
  return buildReport(selected.suite, run.startedAt, run.finishedAt, results, alerts);
}

/**
 * One run of the selected checks: the entry point the CLI and the Lambda share. Composes the
 * engine (lib/core) and the alerting core (lib/alerting); neither knows the other.
 */
export async function executeRun(
  config: Config,
  selection: RunSelection,
  deps: ExecuteRunDeps,
): Promise<RunReport> {
  const now = deps.now ?? (() => new Date());
  const selected = selectRun(config, selection);
  const states = await readStates(selected, deps.alerting);
  const startedAt = now();
  const results = await runSelected(config, selected, states, deps);
  const finishedAt = now();
  return recordAndAlert(
    config,
    selected,
    results,
    { startedAt, finishedAt, states },
    deps.alerting,
  );
}
