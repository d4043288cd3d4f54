import type { CheckOutcome } from '../../core/result.ts';
import { type Status, worstStatus } from '../../core/status.ts';
import { formatBytes } from '../../shared/format-bytes.ts';

export interface FilesystemUsage {
  /** What the user recognises: a mount path, `node-1 rootfs`, `pvc data-postgres-0`. */
  readonly name: string;
  readonly sizeBytes: number;
  readonly usedBytes: number;
  readonly availableBytes: number;
  /** Share of the space available to users that is used, as `df` computes Use%. */
  readonly usedPercent: number;
  readonly inodesUsedPercent?: number;
}

export interface UsageThresholds {
  readonly warningPercent: number;
  readonly criticalPercent: number;
}

/** df's Use%: used / (used + available to unprivileged users), so reserved blocks count as full. */
export function dfUsedPercent(usedBytes: number, availableBytes: number): number {
  const denominator = usedBytes + availableBytes;
  if (denominator <= 0) return 0;
  return Math.round((usedBytes * 1000) / denominator) / 10;
}

export function usageStatus(percent: number, thresholds: UsageThresholds): Status {
  if (percent >= thresholds.criticalPercent) return 'critical';
  if (percent >= thresholds.warningPercent) return 'warning';
  return 'ok';
}

const maxListed = 50;

/** Turns per-filesystem usage into one outcome, naming the fullest filesystems first. */
export function evaluateUsage(
  filesystems: readonly FilesystemUsage[],
  thresholds: UsageThresholds,
  extra: Record<string, unknown> = {},
): CheckOutcome {
  const rated = filesystems
    .map((fs) => {
      const worstPercent = Math.max(fs.usedPercent, fs.inodesUsedPercent ?? 0);
      return { fs, worstPercent, status: usageStatus(worstPercent, thresholds) };
    })
    .sort((a, b) => b.worstPercent - a.worstPercent);
  const status = worstStatus(rated.map((r) => r.status));
  const over = rated.filter((r) => r.status !== 'ok');
  const describe = (r: (typeof rated)[number]): string => {
    const inodes =
      r.fs.inodesUsedPercent !== undefined && r.fs.inodesUsedPercent > r.fs.usedPercent
        ? ` (inodes ${r.fs.inodesUsedPercent}%)`
        : '';
    return `${r.fs.name} ${r.fs.usedPercent}% used${inodes}, ${formatBytes(r.fs.availableBytes)} free`;
  };
  const limits = `warning at ${thresholds.warningPercent}%, critical at ${thresholds.criticalPercent}%`;
  let summary: string;
  if (rated.length === 0) summary = 'no filesystems found';
  else if (over.length === 0) {
    const fullest = rated[0];
    summary =
      rated.length === 1 && fullest
        ? `${describe(fullest)} (${limits})`
        : `${rated.length} filesystems below ${thresholds.warningPercent}%; fullest ${fullest ? describe(fullest) : ''}`;
  } else {
    const listed = over.slice(0, 3).map(describe).join('; ');
    const more = over.length > 3 ? `; and ${over.length - 3} more` : '';
    summary = `${over.length} of ${rated.length} filesystems over threshold: ${listed}${more} (${limits})`;
  }
  return {
    status: rated.length === 0 ? 'unknown' : status,
    summary,
    details: {
      ...extra,
      warningPercent: thresholds.warningPercent,
      criticalPercent: thresholds.criticalPercent,
      filesystems: rated.slice(0, maxListed).map((r) => ({ ...r.fs, status: r.status })),
      ...(rated.length > maxListed ? { filesystemsOmitted: rated.length - maxListed } : {}),
    },
  };
}
