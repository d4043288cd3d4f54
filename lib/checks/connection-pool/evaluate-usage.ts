import type { CheckOutcome, CheckResult } from '../../core/result.ts';
import { type Status, worstStatus } from '../../core/status.ts';
import { evaluateMemory, type MemoryThresholds, type MemoryUsage } from './evaluate-memory.ts';

/** What an engine probe measured. */
export interface PoolUsage {
  /** Client connections in use, not counting the check's own. */
  readonly used: number;
  /** Connections ordinary clients may open; `null` when the server sets no limit we can read. */
  readonly limit: number | null;
  /** Engine-specific facts (counts by state, raw settings). */
  readonly details: Record<string, unknown>;
  /** Memory against its limit, for engines that have one (Redis `maxmemory`). */
  readonly memory?: MemoryUsage;
}

export interface PoolThresholds extends MemoryThresholds {
  readonly warningPercent: number;
  readonly criticalPercent: number;
  readonly maxConnections?: { readonly warning?: number; readonly critical?: number };
}

function levelStatus(
  value: number,
  warning: number | undefined,
  critical: number | undefined,
): Status {
  if (critical !== undefined && value >= critical) return 'critical';
  if (warning !== undefined && value >= warning) return 'warning';
  return 'ok';
}

function describeLimits(t: PoolThresholds): string {
  const absolute = (n: number | undefined) => (n === undefined ? '' : ` or ${n} connections`);
  return `warning at ${t.warningPercent}%${absolute(t.maxConnections?.warning)}, critical at ${t.criticalPercent}%${absolute(t.maxConnections?.critical)}`;
}

/**
 * Rates usage against percent-of-limit and absolute thresholds, and memory where the engine
 * reports it (against the previous result for evictions); the worst wins.
 */
export function evaluateUsage(
  label: string,
  usage: PoolUsage,
  t: PoolThresholds,
  previous?: CheckResult,
): CheckOutcome {
  const limit = usage.limit !== null && usage.limit > 0 ? usage.limit : null;
  const rawPercent = limit === null ? null : (usage.used * 100) / limit;
  const usedPercent = rawPercent === null ? null : Math.round(rawPercent * 10) / 10;
  const memory = usage.memory ? evaluateMemory(usage.memory, t, previous) : undefined;
  const status = worstStatus([
    rawPercent === null ? 'ok' : levelStatus(rawPercent, t.warningPercent, t.criticalPercent),
    levelStatus(usage.used, t.maxConnections?.warning, t.maxConnections?.critical),
    memory?.status ?? 'ok',
  ]);
  const measured =
    limit === null
      ? `${usage.used} connections in use (no server limit readable)`
      : `${usage.used} of ${limit} connections in use (${usedPercent}%)`;
  return {
    status,
    summary: [
      `${label}: ${measured}`,
      ...(memory ? [memory.text] : []),
      describeLimits(t),
      ...(memory?.limits ? [memory.limits] : []),
    ].join('; '),
    details: {
      used: usage.used,
      limit,
      usedPercent,
      warningPercent: t.warningPercent,
      criticalPercent: t.criticalPercent,
      ...(t.maxConnections ? { maxConnections: t.maxConnections } : {}),
      ...usage.details,
      ...(memory ? { memory: memory.details } : {}),
    },
  };
}
