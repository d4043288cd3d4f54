import type { CheckConfig } from '../config/load-config.ts';
import { checkTarget } from '../core/check-target.ts';
import type { CheckResult } from '../core/result.ts';
import { isFailing } from '../core/status.ts';
import {
  type GroupCandidate,
  type GroupingSettings,
  type GroupPlan,
  planGroups,
} from './grouping.ts';
import type { StoredIncidentGroup } from './incident-group.ts';
import type { StoredCheckState } from './result-store.ts';
import { type AlertCheck, applyResult } from './state-machine.ts';

export interface RunPlanInput {
  readonly checks: ReadonlyMap<string, CheckConfig>;
  /** Every result of the suite run (skipped ones are ignored). */
  readonly results: readonly CheckResult[];
  /** The states the run replaces, and those of `dependsOn` parents outside the run. */
  readonly states: ReadonlyMap<string, StoredCheckState>;
  readonly settings: (check: CheckConfig) => AlertCheck;
  /** Why a maintenance window holds this check's notifications, if one does. */
  readonly hold: (checkId: string) => string | undefined;
  readonly grouping: GroupingSettings;
  readonly suite: string | null;
  readonly now: Date;
  /** The run's time for group keys (its scheduled time). */
  readonly at: string;
  readonly openGroups: readonly StoredIncidentGroup[];
}

export interface RunPlan {
  /** Check -> its failing parents (`dependsOn`). */
  readonly suppressedBy: ReadonlyMap<string, string[]>;
  /** Parent -> the dependents whose new incidents it suppresses in this run. */
  readonly dependents: ReadonlyMap<string, string[]>;
  readonly candidates: readonly GroupCandidate[];
  readonly plan: GroupPlan;
}

/**
 * Parents (`dependsOn`) failing now: by this run's result when the parent ran in it, else by
 * its last recorded result. A parent that never ran suppresses nothing.
 */
export function failingParents(
  check: CheckConfig,
  results: ReadonlyMap<string, CheckResult>,
  states: ReadonlyMap<string, StoredCheckState>,
): string[] {
  return (check.dependsOn ?? []).filter((parent) => {
    const ran = results.get(parent);
    const status = ran && !ran.skipped ? ran.status : states.get(parent)?.lastResult?.status;
    return status !== undefined && isFailing(status);
  });
}

/**
 * What a suite run will do before anything is written, as a pure function of all its results
 * and the states they replace: which new incidents failing parents suppress (and so which
 * parents name them), and which new incidents form grouped ones. Needs the whole run: a storm is
 * only a storm when its checks are seen together.
 */
export function planRun(input: RunPlanInput): RunPlan {
  const resultsById = new Map(input.results.map((r) => [r.check, r]));
  const suppressedBy = new Map<string, string[]>();
  const dependents = new Map<string, string[]>();
  const candidates: GroupCandidate[] = [];
  for (const result of input.results) {
    const check = input.checks.get(result.check);
    if (!check || result.skipped) continue;
    const parents = failingParents(check, resultsById, input.states);
    if (parents.length > 0) suppressedBy.set(check.id, parents);
    const previous = input.states.get(check.id)?.alert;
    const hold = input.hold(check.id);
    const preview = applyResult({
      previous,
      result,
      check: input.settings(check),
      suite: input.suite,
      now: input.now,
      ...(hold ? { hold } : {}),
      ...(parents.length > 0 ? { suppressedBy: parents } : {}),
    });
    for (const parent of preview.suppressed ?? []) {
      dependents.set(parent, [...(dependents.get(parent) ?? []), check.id]);
    }
    // Only new incidents group: a check already alerted (or already grouped) stays as it is.
    const opens =
      preview.notification?.event === 'trigger' &&
      (previous?.alertedStatus ?? 'ok') === 'ok' &&
      !previous?.group;
    if (!opens) continue;
    const target = checkTarget(check);
    candidates.push({
      check: check.id,
      ...(check.name ? { name: check.name } : {}),
      severity: check.severity,
      status: result.status,
      summary: result.summary,
      ...(target ? { target } : {}),
      details: result.details,
    });
  }
  const plan = planGroups(candidates, input.grouping, {
    suite: input.suite,
    at: input.at,
    open: input.openGroups.filter((g) => !g.closedAt),
  });
  return { suppressedBy, dependents, candidates, plan };
}
