import type { AlertLogger, Notifier } from '../../lib/alerting/notifier.ts';
import type { ResultStore } from '../../lib/alerting/result-store.ts';
import type { Config } from '../../lib/config/load-config.ts';
import type { SecretResolver } from '../../lib/config/references.ts';
import type { CheckLoader } from '../../lib/core/engine.ts';
import { CheckTimeoutError } from '../../lib/core/errors.ts';
import type { AlertNotice } from '../../lib/core/run-report.ts';
import type { Status } from '../../lib/core/status.ts';
import { suiteCompletedLogMessage } from '../../lib/infra/health-dashboard-names.ts';
import { executeRun } from '../../lib/run/execute-run.ts';
import { runBudgetMs } from './run-budget.ts';
import { type MetricRecord, runMetricRecords } from './run-metrics.ts';
import { parseScheduledRunEvent } from './scheduled-event.ts';

export interface SuiteRunnerDeps {
  /** The bundled config, parsed on first use. */
  readonly config: () => Config;
  readonly store: ResultStore;
  readonly notifiers: readonly Notifier[];
  readonly secrets: SecretResolver;
  readonly loadCheck: CheckLoader;
  readonly logger: AlertLogger;
  readonly publishMetrics: (records: readonly MetricRecord[]) => void;
  /**
   * Refreshes the status page after the run (when the stack has one). A failure is logged and
   * the run still succeeds: the next run republishes everything from the store.
   */
  readonly publishStatusPage?: (config: Config, signal: AbortSignal) => Promise<void>;
}

/** What the invocation returns (visible in the Lambda console and failure destinations). */
export interface SuiteRunSummary {
  readonly suite: string;
  readonly scheduledTime: string;
  readonly status: Status;
  readonly checks: number;
  readonly failed: number;
  readonly alerts: readonly AlertNotice[];
  readonly results: readonly { check: string; status: Status; summary: string }[];
}

/**
 * One scheduled suite run: validate the event, run the suite through the core (`executeRun`,
 * which records results and alerts), under a budget taken from the Lambda's remaining time.
 */
export function createSuiteRunner(deps: SuiteRunnerDeps) {
  return async (event: unknown, remainingMs: number): Promise<SuiteRunSummary> => {
    const invocationDeadline = Date.now() + remainingMs - 1_000;
    const { suite, scheduledTime } = parseScheduledRunEvent(event);
    const config = deps.config();
    const budgetMs = runBudgetMs(remainingMs);
    const controller = new AbortController();
    const timer = setTimeout(
      () =>
        controller.abort(
          new CheckTimeoutError(`the Lambda's time budget (${budgetMs} ms) for this run ran out`),
        ),
      budgetMs,
    );
    try {
      const report = await executeRun(
        config,
        { suites: [suite] },
        {
          loadCheck: deps.loadCheck,
          secrets: deps.secrets,
          signal: controller.signal,
          alerting: {
            store: deps.store,
            notifiers: deps.notifiers,
            scheduledTime: new Date(scheduledTime),
            logger: deps.logger,
            // Recording gets the margin the checks' budget leaves, minus a second to return.
            signal: AbortSignal.timeout(Math.max(1_000, remainingMs - 1_000)),
          },
        },
      );
      deps.publishMetrics(runMetricRecords(suite, report));
      const failed = report.results.filter((r) => r.status !== 'ok').length;
      deps.logger.info(suiteCompletedLogMessage, {
        suite,
        scheduledTime,
        status: report.status,
        checks: report.results.length,
        failed,
        alerts: report.alerts.length,
      });
      if (deps.publishStatusPage) {
        try {
          await deps.publishStatusPage(
            config,
            AbortSignal.timeout(Math.max(1_000, invocationDeadline - Date.now())),
          );
        } catch (error) {
          deps.logger.error('status page not published; the next run retries', {
            error: (error as Error).message,
          });
        }
      }
      return {
        suite,
        scheduledTime,
        status: report.status,
        checks: report.results.length,
        failed,
        alerts: report.alerts,
        results: report.results.map((r) => ({
          check: r.check,
          status: r.status,
          summary: r.summary,
        })),
      };
    } finally {
      clearTimeout(timer);
    }
  };
}
