import * as z from 'zod';

/** What the watchdog's schedule sends (lib/infra/suite-watchdog.ts): its scheduled time. */
export const WatchdogEvent = z.object({
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
});

export class InvalidWatchdogEventError extends Error {
  constructor(problems: readonly string[]) {
    super(`invalid watchdog event: ${problems.join('; ')}`);
    this.name = 'InvalidWatchdogEventError';
  }
}

export function parseWatchdogEvent(event: unknown): { scheduledTime?: Date } {
  const parsed = WatchdogEvent.safeParse(event ?? {});
  if (!parsed.success) {
    throw new InvalidWatchdogEventError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`),
    );
  }
  return parsed.data.scheduledTime ? { scheduledTime: new Date(parsed.data.scheduledTime) } : {};
}
