import { cronFireTimes } from './fire-times.ts';
import { instantOfWallTime } from './next-run.ts';
import { parseScheduleExpression } from './schedule-expression.ts';

/**
 * Is a suite's run overdue? Compares the scheduled time of its last completed run with its own
 * schedule expression in its time zone, the way EventBridge Scheduler fires it (cron across DST,
 * `SAT#1`, `L`; rate from the last run; a one-shot `at()`), so any schedule can be watched and
 * nothing depends on when the stack was synthesized. Pure: the watchdog Lambda feeds it what the
 * table recorded.
 */
export interface OverdueInput {
  /** The suite's schedule: cron(...), rate(...) or at(...). */
  readonly expression: string;
  readonly timeZone: string;
  readonly now: Date;
  /** Scheduled time of the suite's last completed run; undefined when none is recorded. */
  readonly lastCompleted?: Date;
  /**
   * Since when runs are expected: when the watchdog first saw the suite. Runs due before it (a
   * suite added today, a stack deployed today) are not held against it.
   */
  readonly watchingSince: Date;
  /** How long after its scheduled time a run may still complete: retries, run time, grace. */
  readonly allowanceMs: number;
}

export type OverdueVerdict =
  | { readonly overdue: false }
  | {
      readonly overdue: true;
      /** The earliest run that should have completed by now and has not. */
      readonly missed: Date;
      /** When that run should have completed at the latest. */
      readonly deadline: Date;
    };

/** A completed run counts for a slot when scheduled within the same minute (Scheduler's precision). */
const precisionMs = 60_000;
/** How far back a never-completing cron suite is searched; older misses are reported from here. */
const maxLookBackMs = 400 * 24 * 3_600_000;

function verdict(missed: Date | undefined, allowanceMs: number): OverdueVerdict {
  if (!missed) return { overdue: false };
  return { overdue: true, missed, deadline: new Date(missed.getTime() + allowanceMs) };
}

export function overdueRun(input: OverdueInput): OverdueVerdict {
  const { now, allowanceMs, lastCompleted, watchingSince } = input;
  const parsed = parseScheduleExpression(input.expression);
  const latestDue = now.getTime() - allowanceMs;
  const done = lastCompleted?.getTime();
  if (parsed.kind === 'rate') {
    // Rate schedules fire every N minutes from when the schedule was created (unknown here), so
    // the next run is due N minutes after the last one, or after watching began.
    const due = Math.max(done ?? 0, watchingSince.getTime()) + parsed.minutes * 60_000;
    return verdict(due <= latestDue ? new Date(due) : undefined, allowanceMs);
  }
  if (parsed.kind === 'at') {
    const [date = '', time = ''] = parsed.at.split('T');
    const [year, month, day] = date.split('-').map(Number);
    const [hour, minute] = time.split(':').map(Number);
    const at = instantOfWallTime(
      { year: year ?? 0, month: month ?? 0, day: day ?? 0, hour: hour ?? 0, minute: minute ?? 0 },
      input.timeZone,
    );
    const expected = at.getTime() >= watchingSince.getTime() && at.getTime() <= latestDue;
    const completed = done !== undefined && done >= at.getTime() - precisionMs;
    return verdict(expected && !completed ? at : undefined, allowanceMs);
  }
  // Cron: the first fire time after the last completed run (and since watching began) whose
  // deadline has passed is the missed run.
  const after = Math.max(
    done === undefined ? Number.NEGATIVE_INFINITY : done + precisionMs,
    watchingSince.getTime(),
    now.getTime() - maxLookBackMs,
  );
  if (after > latestDue) return { overdue: false };
  const [missed] = cronFireTimes(
    parsed.cron,
    input.timeZone,
    new Date(after),
    new Date(latestDue + 1),
    1,
  );
  return verdict(missed, allowanceMs);
}
