import type { MaintenanceWindow } from '../config/schema.ts';
import { activeWindow } from '../schedule/maintenance-window.ts';
import { parseScheduleExpression } from '../schedule/schedule-expression.ts';

/** A maintenance window that is open at the run's time. */
export interface OpenMaintenanceWindow {
  /** The window's `id`, or its place in the config (`maintenanceWindows[0]`). */
  readonly name: string;
  /** Checks it holds; undefined holds every check. */
  readonly checks?: readonly string[];
  readonly endsAt: Date;
}

/**
 * The windows open at `now` (cron + duration, in their own or the config's time zone). Pure, and
 * meant to be computed once per run: the answer does not depend on the check.
 */
export function openMaintenanceWindows(
  windows: readonly MaintenanceWindow[],
  timezone: string,
  now: Date,
): OpenMaintenanceWindow[] {
  const open: OpenMaintenanceWindow[] = [];
  for (const [index, window] of windows.entries()) {
    const parsed = parseScheduleExpression(window.schedule);
    if (parsed.kind !== 'cron') continue;
    const active = activeWindow(
      parsed.cron,
      window.durationMinutes,
      window.timezone ?? timezone,
      now,
    );
    if (!active) continue;
    open.push({
      name: window.id ?? `maintenanceWindows[${index}]`,
      ...(window.checks ? { checks: window.checks } : {}),
      endsAt: active.endsAt,
    });
  }
  return open;
}

/** Why notifications for `checkId` are held by one of the run's open windows, or undefined. */
export function maintenanceHoldFor(
  open: readonly OpenMaintenanceWindow[],
  checkId: string,
): string | undefined {
  const window = open.find((w) => !w.checks || w.checks.includes(checkId));
  return window
    ? `maintenance window ${window.name} until ${window.endsAt.toISOString()}`
    : undefined;
}

/** One check at one time; for many checks, compute `openMaintenanceWindows` once instead. */
export function maintenanceHold(
  windows: readonly MaintenanceWindow[],
  checkId: string,
  timezone: string,
  now: Date,
): string | undefined {
  return maintenanceHoldFor(openMaintenanceWindows(windows, timezone, now), checkId);
}
