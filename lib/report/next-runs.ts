import type { Config } from '../config/load-config.ts';
import { type NextRun, nextRun } from '../schedule/next-run.ts';

/**
 * Next scheduled run of every suite, and of every check (the earliest of its suites'). rate()
 * schedules are estimated from the latest recorded run of the suite's checks.
 */
export interface ScheduleOutlook {
  readonly suites: ReadonlyMap<string, NextRun>;
  /** Checks in no suite have no entry: nothing schedules them. */
  readonly checks: ReadonlyMap<string, NextRun>;
}

export function scheduleOutlook(
  config: Pick<Config, 'suites' | 'timezone'>,
  now: Date,
  lastRunOf: (checkId: string) => string | undefined = () => undefined,
): ScheduleOutlook {
  const suites = new Map<string, NextRun>();
  const checks = new Map<string, NextRun>();
  for (const suite of config.suites) {
    const last = suite.checks
      .map(lastRunOf)
      .filter((t): t is string => t !== undefined)
      .sort()
      .at(-1);
    const next = nextRun(suite.schedule, config.timezone, now, last ? new Date(last) : undefined);
    suites.set(suite.id, next);
    for (const id of suite.checks) {
      const known = checks.get(id);
      if (!known || earlier(next, known)) checks.set(id, next);
    }
  }
  return { suites, checks };
}

/** A known time beats none; between two times the sooner wins. */
function earlier(a: NextRun, b: NextRun): boolean {
  if (!a.at) return false;
  if (!b.at) return true;
  return a.at.getTime() < b.at.getTime();
}
