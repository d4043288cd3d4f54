import { deliverPending } from '../../lib/alerting/deliver-pending.ts';
import type { AlertLogger, Notifier } from '../../lib/alerting/notifier.ts';
import type { ResultStore } from '../../lib/alerting/result-store.ts';
import type { Config } from '../../lib/config/load-config.ts';
import type { SecretResolver } from '../../lib/config/references.ts';
import type { CheckLoader } from '../../lib/core/engine.ts';
import type { AlertNotice, SkippedCheck } from '../../lib/core/run-report.ts';
import type { Status } from '../../lib/core/status.ts';
import { executeRun } from '../../lib/run/execute-run.ts';
import type { ShardResultStore } from '../../lib/shard/shard-result-store.ts';
import type { SuiteRunStore } from '../../lib/watchdog/suite-run-store.ts';
import { completeSuiteRun, runBudget, suiteAlerting } from './complete-run.ts';
import { DeliveryEvent, isDeliveryEvent } from './delivery-event.ts';
import { deliveryMetricRecords } from './delivery-metrics.ts';
import { deliveryDeadline } from './run-budget.ts';
import type { MetricRecord } from './run-metrics.ts';
import { InvalidRunEventError, parseScheduledRunEvent, runModeOf } from './scheduled-event.ts';
import {
  type AggregateSummary,
  aggregateShardTask,
  runShardTask,
  type ShardRunSummary,
} from './sharded-run.ts';

export interface SuiteRunnerDeps {
  /** The bundled config, parsed on first use. */
  readonly config: () => Config;
  readonly store: ResultStore;
  /** The config's notifiers (lib/notify/registry.ts), built once per container. */
  readonly notifiers: (config: Config) => Promise<readonly Notifier[]>;
  readonly secrets: SecretResolver;
  readonly loadCheck: CheckLoader;
  readonly logger: AlertLogger;
  readonly publishMetrics: (records: readonly MetricRecord[]) => void;
  /** Where the suite's last completed run is recorded, for the watchdog (functions/watchdog). */
  readonly suiteRuns: SuiteRunStore;
  /** Where a sharded suite's shards leave their results for the aggregation step. */
  readonly shardResults?: ShardResultStore;
  /** A CheckStatus metric per check (see run-metrics.ts); each status is logged either way. */
  readonly perCheckMetrics?: boolean;
  /**
   * Refreshes the status page after the run (when the stack has one). A failure is logged and
   * the run still succeeds: the next run republishes everything from the store.
   */
  readonly publishStatusPage?: (config: Config, signal: AbortSignal) => Promise<void>;
  /** Tells the notifiers when this invocation's deliveries stop waiting for a turn. */
  readonly setDeliveryDeadline?: (epochMs: number | undefined) => void;
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
  readonly skipped?: readonly SkippedCheck[];
}

/** What a delivery pass returns. */
export interface DeliverySummary {
  readonly delivered: number;
  readonly pending: number;
  readonly refused: number;
  readonly requeued: number;
  readonly alerts: readonly AlertNotice[];
}

/**
 * The runner's jobs, by event. A scheduled suite run: validate the event, run the suite through
 * `executeRun` (which records results and alerts) under a budget taken from the Lambda's
 * remaining time. A delivery pass (`{deliver: 'pending'}`, every few minutes): deliver what
 * waits in the outboxes, so a page PagerDuty could not take goes out minutes later, not at the
 * suite's next run; `replay: true` also resends what was refused for good. For a suite too large
 * for one invocation (lib/shard/plan-shards.ts), the state machine's `{mode: 'shard'}` tasks run
 * one shard each and `{mode: 'aggregate'}` alerts once for the whole suite (sharded-run.ts).
 */
export function createSuiteRunner(deps: SuiteRunnerDeps) {
  let notifiers: Promise<readonly Notifier[]> | undefined;
  const notifiersFor = (config: Config) => {
    notifiers ??= deps.notifiers(config);
    notifiers.catch(() => {
      notifiers = undefined;
    });
    return notifiers;
  };

  async function deliver(event: unknown, remainingMs: number): Promise<DeliverySummary> {
    const parsed = DeliveryEvent.safeParse(event);
    if (!parsed.success) {
      throw new InvalidRunEventError(
        parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`),
      );
    }
    const { replay, checks, channel } = parsed.data;
    const config = deps.config();
    const endsAt = Date.now() + Math.max(1_000, remainingMs - 1_000);
    deps.setDeliveryDeadline?.(deliveryDeadline(endsAt, remainingMs));
    const result = await deliverPending(checks ?? config.checks.map((c) => c.id), {
      store: deps.store,
      // A pass for all checks also delivers what grouped incidents have waiting.
      ...(checks ? {} : { suites: [null, ...config.suites.map((s) => s.id)] }),
      notifiers: await notifiersFor(config),
      logger: deps.logger,
      signal: AbortSignal.timeout(endsAt - Date.now()),
      ...(replay ? { requeue: (_e, c) => channel === undefined || c === channel } : {}),
    });
    deps.publishMetrics(deliveryMetricRecords(result.notices));
    const sum = (field: 'delivered' | 'pending' | 'failed') =>
      result.notices.reduce((n, a) => n + (a[field]?.length ?? 0), 0);
    const summary = {
      delivered: sum('delivered'),
      pending: sum('pending'),
      refused: sum('failed'),
      requeued: result.requeued,
      alerts: result.notices,
    };
    if (result.notices.length > 0 || result.requeued > 0) {
      deps.logger.info('delivery pass', { ...summary, alerts: result.notices.length });
    }
    return summary;
  }

  async function runSuite(event: unknown, remainingMs: number): Promise<SuiteRunSummary> {
    const { suite, scheduledTime } = parseScheduledRunEvent(event);
    const config = deps.config();
    const budget = runBudget(remainingMs);
    try {
      const report = await executeRun(
        config,
        { suites: [suite] },
        {
          loadCheck: deps.loadCheck,
          secrets: deps.secrets,
          signal: budget.checks,
          alerting: suiteAlerting(deps, await notifiersFor(config), scheduledTime, budget),
        },
      );
      const failed = await completeSuiteRun(deps, config, { suite, scheduledTime }, report, budget);
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
        ...(report.skipped ? { skipped: report.skipped } : {}),
      };
    } finally {
      budget.dispose();
    }
  }

  const sharded = { ...deps, notifiersFor };
  return (event: unknown, remainingMs: number): Promise<RunnerResult> => {
    if (isDeliveryEvent(event)) return deliver(event, remainingMs);
    const mode = runModeOf(event);
    if (mode === 'shard') return runShardTask(sharded, event, remainingMs);
    if (mode === 'aggregate') return aggregateShardTask(sharded, event, remainingMs);
    return runSuite(event, remainingMs);
  };
}

export type RunnerResult = SuiteRunSummary | DeliverySummary | ShardRunSummary | AggregateSummary;
