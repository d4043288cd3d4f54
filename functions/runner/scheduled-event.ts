import * as z from 'zod';
import { maxShardCount } from '../../lib/shard/shard-ref.ts';

const suite = z.string().min(1);
const scheduledTime = z.iso.datetime({ offset: true });

/**
 * What EventBridge Scheduler sends (see lib/infra/suite-schedules.ts): the suite, and the
 * scheduled time from `<aws.scheduler.scheduled-time>`, which makes a redelivered run idempotent.
 */
export const ScheduledRunEvent = z.strictObject({ suite, scheduledTime });

export type ScheduledRunEvent = z.output<typeof ScheduledRunEvent>;

/**
 * A sharded suite's child task (lib/infra/sharded-suite-runs.ts): run one shard's checks and
 * store their results for the aggregation step. `shard.index` is 1-based.
 */
export const ShardRunEvent = z.strictObject({
  mode: z.literal('shard'),
  suite,
  scheduledTime,
  shard: z
    .strictObject({
      index: z.int().min(1),
      count: z.int().min(1).max(maxShardCount),
    })
    .refine((s) => s.index <= s.count, { message: 'index must not exceed count', path: ['index'] }),
});

export type ShardRunEvent = z.output<typeof ShardRunEvent>;

/** A sharded suite's last task: alert once on all the shards' results. */
export const AggregateRunEvent = z.strictObject({
  mode: z.literal('aggregate'),
  suite,
  scheduledTime,
  shardCount: z.int().min(1).max(maxShardCount),
});

export type AggregateRunEvent = z.output<typeof AggregateRunEvent>;

export class InvalidRunEventError extends Error {
  constructor(problems: readonly string[]) {
    super(`invalid scheduler event: ${problems.join('; ')}`);
    this.name = 'InvalidRunEventError';
  }
}

/** Parses an event with a schema, or throws naming each bad field's path. */
export function parseRunEvent<T extends z.ZodType>(schema: T, event: unknown): z.output<T> {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  throw new InvalidRunEventError(
    parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`),
  );
}

export function parseScheduledRunEvent(event: unknown): ScheduledRunEvent {
  return parseRunEvent(ScheduledRunEvent, event);
}

/** Which of the runner's jobs an event asks for, by its `mode` (none: a whole-suite run). */
export function runModeOf(event: unknown): 'shard' | 'aggregate' | undefined {
  const mode = (event as { mode?: unknown } | null)?.mode;
  return mode === 'shard' || mode === 'aggregate' ? mode : undefined;
}
