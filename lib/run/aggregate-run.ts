import type { AlertingDeps } from '../alerting/process-run.ts';
import type { CheckConfig, Config } from '../config/load-config.ts';
import type { CheckResult } from '../core/result.ts';
import type { RunReport } from '../core/run-report.ts';
import { selectChecks } from '../core/select-checks.ts';
import { formatShardRef } from '../shard/shard-ref.ts';
import { shardsOf } from '../shard/suite-shards.ts';
import { readStates, recordAndAlert } from './execute-run.ts';

/** Why a check of a shard that never stored its results has no result. */
export function missingShardSummary(index: number, count: number): string {
  return `not run: shard ${formatShardRef({ index, count })} did not finish (it failed after its retries)`;
}

export interface ShardedResults {
  /** Every check of the suite, in config order: its shard's result, or skipped. */
  readonly results: CheckResult[];
  /** 1-based indexes of the shards that stored nothing. */
  readonly missingShards: number[];
}

/**
 * The whole suite's results from its shards' stored results. A check whose shard never finished
 * is `skipped` (it changes no alert state and pages nobody: it did not run); a result for a check
 * that is not in its shard (a config that changed under a running execution) is ignored.
 */
export function collectShardResults(
  checks: readonly CheckConfig[],
  shardCount: number,
  stored: ReadonlyMap<number, readonly CheckResult[]>,
  now: Date,
): ShardedResults {
  const at = now.toISOString();
  const byCheck = new Map<string, CheckResult>();
  const missingShards: number[] = [];
  shardsOf(checks, shardCount).forEach((members, i) => {
    const index = i + 1;
    const results = stored.get(index);
    if (!results) missingShards.push(index);
    const own = new Map((results ?? []).map((r) => [r.check, r]));
    for (const check of members) {
      byCheck.set(
        check.id,
        own.get(check.id) ?? {
          check: check.id,
          type: check.type,
          status: 'unknown',
          summary: missingShardSummary(index, shardCount),
          details: {},
          durationMs: 0,
          startedAt: at,
          finishedAt: at,
          skipped: true,
        },
      );
    }
  });
  return {
    results: checks.flatMap((c) => {
      const result = byCheck.get(c.id);
      return result ? [result] : [];
    }),
    missingShards,
  };
}

/**
 * The aggregation step of a sharded suite run: the shards' results, recorded and alerted once
 * for the whole suite through the same path as an unsharded run (lib/alerting/process-run.ts),
 * so suite-level grouping and the scheduled-time slot apply exactly as they do there.
 */
export async function aggregateSuiteRun(
  config: Config,
  run: { readonly suite: string; readonly shardCount: number },
  stored: ReadonlyMap<number, readonly CheckResult[]>,
  deps: { readonly alerting: AlertingDeps; readonly now?: () => Date },
): Promise<RunReport & { readonly missingShards: readonly number[] }> {
  const now = deps.now ?? (() => new Date());
  const selected = selectChecks(config, { suites: [run.suite] });
  const finishedAt = now();
  const { results, missingShards } = collectShardResults(
    selected.checks,
    run.shardCount,
    stored,
    finishedAt,
  );
  const states = await readStates(selected, deps.alerting);
  const ran = results.filter((r) => !r.skipped).map((r) => Date.parse(r.startedAt));
  const startedAt = new Date(ran.length > 0 ? Math.min(...ran) : finishedAt.getTime());
  const report = await recordAndAlert(
    config,
    selected,
    results,
    { startedAt, finishedAt, states },
    deps.alerting,
  );
  return { ...report, missingShards };
}
