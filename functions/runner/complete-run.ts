import type { Notifier } from '../../lib/alerting/notifier.ts';
import type { AlertingDeps } from '../../lib/alerting/process-run.ts';
import type { Config } from '../../lib/config/load-config.ts';
import { CheckTimeoutError } from '../../lib/core/errors.ts';
import type { RunReport } from '../../lib/core/run-report.ts';
import { suiteCompletedLogMessage } from '../../lib/infra/health-dashboard-names.ts';
import { checkResultLogMessage } from '../../lib/infra/telemetry-names.ts';
import { deliveryMetricRecords } from './delivery-metrics.ts';
import { deliveryDeadline, runBudgetMs } from './run-budget.ts';
import { runMetricRecords } from './run-metrics.ts';
import type { SuiteRunnerDeps } from './suite-runner.ts';

/** A run's two budgets: the checks' (aborts `checks`), and recording's, which outlasts it. */
export interface RunBudget {
  readonly checks: AbortSignal;
  readonly recording: AbortSignal;
  /** When the invocation must have returned (a second before Lambda's timeout). */
  readonly deadline: number;
  /** When deliveries stop waiting for a rate-limited turn (run-budget.ts `deliveryDeadline`). */
  readonly deliverBy: number;
  dispose(): void;
}

export function runBudget(remainingMs: number): RunBudget {
  const deadline = Date.now() + remainingMs - 1_000;
  const budgetMs = runBudgetMs(remainingMs);
  const controller = new AbortController();
  const timer = setTimeout(
    () =>
      controller.abort(
        new CheckTimeoutError(`the Lambda's time budget (${budgetMs} ms) for this run ran out`),
      ),
    budgetMs,
  );
  return {
    checks: controller.signal,
    // Recording gets the margin the checks' budget leaves, minus a second to return.
    recording: AbortSignal.timeout(Math.max(1_000, remainingMs - 1_000)),
    deadline,
    deliverBy: deliveryDeadline(deadline, remainingMs),
    dispose: () => clearTimeout(timer),
  };
}

/**
 * How a suite run records and alerts, whole or as a sharded suite's aggregation: the stack's
 * store and notifiers, the scheduled slot, recording bounded by the budget, and paced deliveries
 * that stop waiting in time to record what they delivered.
 */
export function suiteAlerting(
  deps: SuiteRunnerDeps,
  notifiers: readonly Notifier[],
  scheduledTime: string,
  budget: RunBudget,
): AlertingDeps {
  deps.setDeliveryDeadline?.(budget.deliverBy);
  return {
    store: deps.store,
    notifiers,
    scheduledTime: new Date(scheduledTime),
    logger: deps.logger,
    signal: budget.recording,
  };
}

/**
 * What every completed suite run does after recording and alerting, sharded or not: the
 * watchdog's record (SuiteCompleted), metrics, one log line per check, the SuiteCompleted log
 * line and the status page. Returns how many checks were not ok.
 */
export async function completeSuiteRun(
  deps: SuiteRunnerDeps,
  config: Config,
  run: { readonly suite: string; readonly scheduledTime: string },
  report: RunReport,
  budget: RunBudget,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const { suite, scheduledTime } = run;
  // What the watchdog compares with the suite's schedule (functions/watchdog).
  await deps.suiteRuns.recordSuiteRun(
    suite,
    {
      scheduledTime: new Date(scheduledTime).toISOString(),
      completedAt: report.finishedAt,
      status: report.status,
    },
    budget.recording,
  );
  deps.publishMetrics([
    ...runMetricRecords(suite, report, { perCheck: deps.perCheckMetrics ?? false }),
    ...deliveryMetricRecords(report.alerts),
  ]);
  // One line per check: what the dashboard's status-per-check query reads.
  for (const r of report.results) {
    deps.logger.info(checkResultLogMessage, {
      suite,
      scheduledTime,
      check: r.check,
      type: r.type,
      status: r.status,
      durationMs: r.durationMs,
    });
  }
  const failed = report.results.filter((r) => r.status !== 'ok').length;
  if (report.skipped) {
    deps.logger.warn(
      `${report.skipped.length} checks not run: the time budget ended first (or their shard failed); the next run starts with them`,
      { suite, checks: report.skipped.map((s) => s.check) },
    );
  }
  deps.logger.info(suiteCompletedLogMessage, {
    suite,
    scheduledTime,
    status: report.status,
    checks: report.results.length,
    failed,
    alerts: report.alerts.length,
    skipped: report.skipped?.length ?? 0,
    ...extra,
  });
  if (deps.publishStatusPage) {
    try {
      await deps.publishStatusPage(
        config,
        AbortSignal.timeout(Math.max(1_000, budget.deadline - Date.now())),
      );
    } catch (error) {
      deps.logger.error('status page not published; the next run retries', {
        error: (error as Error).message,
      });
    }
  }
  return failed;
}
