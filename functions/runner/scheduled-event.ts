import * as z from 'zod';

/**
 * What EventBridge Scheduler sends (see lib/infra/suite-schedules.ts): the suite, and the
 * scheduled time from `<aws.scheduler.scheduled-time>`, which makes a redelivered run idempotent.
 */
export const ScheduledRunEvent = z.strictObject({
  suite: z.string().min(1),
  scheduledTime: z.iso.datetime({ offset: true }),
});

export type ScheduledRunEvent = z.output<typeof ScheduledRunEvent>;

export class InvalidRunEventError extends Error {
  constructor(problems: readonly string[]) {
    super(`invalid scheduler event: ${problems.join('; ')}`);
    this.name = 'InvalidRunEventError';
  }
}

export function parseScheduledRunEvent(event: unknown): ScheduledRunEvent {
  const parsed = ScheduledRunEvent.safeParse(event);
  if (parsed.success) return parsed.data;
  throw new InvalidRunEventError(
    parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`),
  );
}
