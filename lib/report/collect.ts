import * as z from 'zod';
import type { ResultStore } from '../alerting/result-store.ts';
import type { Config } from '../config/load-config.ts';
import { mapWithConcurrency } from '../core/semaphore.ts';
import { statuses } from '../core/status.ts';
import { instantOfWallTime } from '../schedule/next-run.ts';
import { buildStatusFeed, type StatusFeed } from './status-feed.ts';
import {
  buildTimeline,
  type CheckTimeline,
  type DayTally,
  dayOf,
  daysKept,
  recentRunsKept,
  runPoint,
} from './timeline.ts';

/** Enough for a 15-minute schedule over 90 days (8,640 runs) with room for manual runs. */
export const maxHistoryRuns = 12_000;

const DayTallies = z.array(
  z.object({
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    runs: z.int().min(0),
    up: z.int().min(0),
    worst: z.enum(statuses),
  }),
);

export interface CollectOptions {
  readonly now: Date;
  readonly signal?: AbortSignal;
  /**
   * The feed published last time. When given, only today's runs and the newest ones are read from
   * the store and earlier days' tallies are taken from it (what the Lambda does after every run);
   * checks it lacks are read in full. @default - every check's 90 days are read (the local CLI)
   */
  readonly previous?: StatusFeed;
  /** History reads in flight at once. @default 4 */
  readonly concurrency?: number;
}

type Store = Pick<ResultStore, 'getStates' | 'history'>;

function previousDays(previous: StatusFeed | undefined, id: string): DayTally[] | undefined {
  const days = previous?.checks.find((c) => c.id === id)?.days;
  const parsed = DayTallies.safeParse(days);
  return parsed.success ? parsed.data : undefined;
}

async function timelineOf(
  store: Store,
  id: string,
  timeZone: string,
  options: CollectOptions,
): Promise<CheckTimeline> {
  const { now, signal } = options;
  const carried = previousDays(options.previous, id);
  if (!carried) {
    const since = new Date(now.getTime() - daysKept * 86_400_000);
    const runs = await store.history(id, { since, limit: maxHistoryRuns }, signal);
    return buildTimeline({ runs: runs.map(runPoint), now, timeZone });
  }
  // Today is re-read on every publish, so two runs publishing at once cannot lose each other's
  // counts; only finished days are carried over from the previous feed.
  const today = dayOf(now, timeZone);
  const [y, m, d] = today.split('-').map(Number);
  const startOfToday = instantOfWallTime(
    { year: y ?? 1970, month: m ?? 1, day: d ?? 1, hour: 0, minute: 0 },
    timeZone,
  );
  const newest = await store.history(id, { limit: recentRunsKept }, signal);
  const oldest = newest[0];
  const reachesBack =
    newest.length < recentRunsKept ||
    (oldest !== undefined && (oldest.scheduledTime ?? oldest.at) < startOfToday.toISOString());
  const todays = reachesBack
    ? []
    : await store.history(id, { since: startOfToday, limit: maxHistoryRuns }, signal);
  return buildTimeline({
    runs: [...newest, ...todays].map(runPoint),
    now,
    timeZone,
    completeFromDay: today,
    previousDays: carried,
  });
}

/** Reads every check's state and history through the store port and builds the status feed. */
export async function collectStatusFeed(
  config: Pick<Config, 'timezone' | 'suites' | 'checks'>,
  store: Store,
  options: CollectOptions,
): Promise<StatusFeed> {
  const ids = config.checks.map((c) => c.id);
  const states = await store.getStates(ids, options.signal);
  const timelines = await mapWithConcurrency(ids, options.concurrency ?? 4, (id) =>
    timelineOf(store, id, config.timezone, options),
  );
  return buildStatusFeed({
    config,
    states,
    timelines: new Map(ids.map((id, i) => [id, timelines[i] as CheckTimeline])),
    now: options.now,
  });
}
