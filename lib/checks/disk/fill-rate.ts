import type { CheckResult } from '../../core/result.ts';
import type { FilesystemUsage } from './filesystem-usage.ts';

export interface FillingUp {
  readonly name: string;
  readonly hoursToFull: number;
  readonly bytesPerHour: number;
}

/**
 * Linear prediction from the previous run, like node-mixin's predict_linear alerts: a
 * filesystem that grew since then and will be full within the horizon at that rate.
 */
export function predictFull(
  now: Date,
  filesystems: readonly FilesystemUsage[],
  previous: CheckResult | undefined,
  horizonHours: number,
): FillingUp[] {
  if (!previous) return [];
  const hours = (now.getTime() - Date.parse(previous.startedAt)) / 3_600_000;
  const before = previous.details['filesystems'];
  if (!(hours > 0) || !Array.isArray(before)) return [];
  const usedBefore = new Map<string, number>();
  for (const fs of before as { name?: unknown; usedBytes?: unknown }[]) {
    if (typeof fs.name === 'string' && typeof fs.usedBytes === 'number') {
      usedBefore.set(fs.name, fs.usedBytes);
    }
  }
  const filling: FillingUp[] = [];
  for (const fs of filesystems) {
    const was = usedBefore.get(fs.name);
    if (was === undefined || fs.usedBytes <= was) continue;
    const bytesPerHour = (fs.usedBytes - was) / hours;
    const hoursToFull = fs.availableBytes / bytesPerHour;
    if (hoursToFull <= horizonHours) {
      filling.push({
        name: fs.name,
        hoursToFull: Math.round(hoursToFull * 10) / 10,
        bytesPerHour: Math.round(bytesPerHour),
      });
    }
  }
  return filling.sort((a, b) => a.hoursToFull - b.hoursToFull);
}
