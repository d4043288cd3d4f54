import type { CheckConfig, Config } from '../config/load-config.ts';
import { didYouMean } from '../shared/closest-match.ts';
import { UsageError } from './errors.ts';

export interface Selection {
  readonly suites?: readonly string[];
  readonly checks?: readonly string[];
}

export interface SelectedChecks {
  /** The suite id when exactly one suite and no extra checks were selected. */
  readonly suite: string | null;
  readonly checks: readonly CheckConfig[];
}

/** Checks named by `--suite`/`--check` (all checks when neither is given), each once, in config order. */
export function selectChecks(config: Config, selection: Selection): SelectedChecks {
  const suiteIds = selection.suites ?? [];
  const checkIds = selection.checks ?? [];
  if (suiteIds.length === 0 && checkIds.length === 0) {
    return { suite: null, checks: config.checks };
  }
  const wanted = new Set<string>();
  for (const id of suiteIds) {
    const suite = config.suites.find((s) => s.id === id);
    if (!suite) {
      const known = config.suites.map((s) => s.id).join(', ') || 'none defined';
      const hint = didYouMean(
        id,
        config.suites.map((s) => s.id),
      );
      throw new UsageError(`no suite "${id}" in the config${hint} (suites: ${known})`);
    }
    for (const check of suite.checks) wanted.add(check);
  }
  for (const id of checkIds) {
    if (!config.checks.some((c) => c.id === id)) {
      const hint = didYouMean(
        id,
        config.checks.map((c) => c.id),
      );
      throw new UsageError(`no check "${id}" in the config${hint} (see: healthcheck list)`);
    }
    wanted.add(id);
  }
  return {
    suite: suiteIds.length === 1 && checkIds.length === 0 ? (suiteIds[0] ?? null) : null,
    checks: config.checks.filter((c) => wanted.has(c.id)),
  };
}
