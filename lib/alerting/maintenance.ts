import type { MaintenanceWindow } from '../config/schema.ts';
import { activeWindow } from '../schedule/maintenance-window.ts';
import { parseScheduleExpression } from '../schedule/schedule-expression.ts';

/**
 * The reason notifications for `checkId` are held at `now`, or undefined when no maintenance
 * window covers it. Windows are cron + duration in their own or the config's time zone.
 */
export function maintenanceHold(
  windows: readonly MaintenanceWindow[],
  checkId: string,
  timezone: string,
  now: Date,
): string | undefined {
  for (const [index, window] of windows.entries()) {
    if (window.checks && !window.checks.includes(checkId)) continue;
    const parsed = parseScheduleExpression(window.schedule);
    if (parsed.kind !== 'cron') continue;
    const active = activeWindow(
      parsed.cron,
      window.durationMinutes,
      window.timezone ?? timezone,
      now,
    );
    if (active) {
      const name = window.id ?? `maintenanceWindows[${index}]`;
      return `maintenance window ${name} until ${active.endsAt.toISOString()}`;
    }
  }
  return undefined;
}
