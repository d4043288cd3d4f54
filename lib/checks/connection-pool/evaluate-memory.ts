import type { CheckResult } from '../../core/result.ts';
import type { Status } from '../../core/status.ts';
import { formatBytes } from '../../shared/format-bytes.ts';

/** What Redis says about its memory (INFO memory, stats, server). */
export interface MemoryUsage {
  readonly usedBytes: number;
  /** `maxmemory`; null when it is 0 (no limit: Redis grows until the host runs out). */
  readonly maxBytes: number | null;
  readonly policy?: string;
  /** `evicted_keys`: a counter since the server started. */
  readonly evictedKeys?: number;
  /** `run_id`: changes when the server restarts (and its counters with it). */
  readonly runId?: string;
}

export interface MemoryThresholds {
  readonly memoryWarningPercent?: number;
  readonly memoryCriticalPercent?: number;
}

export interface MemoryVerdict {
  readonly status: Status;
  /** `memory 1.9 MiB of 2.0 MiB (95%, allkeys-lru), 143 keys evicted since the previous run` */
  readonly text: string;
  /** `memory warning at 80%, critical at 90%`, when thresholds are set. */
  readonly limits?: string;
  readonly details: Record<string, unknown>;
}

interface PreviousMemory {
  readonly evictedKeys?: unknown;
  readonly runId?: unknown;
}

/**
 * Evictions since the previous run: the counter's growth when the server is the same one (same
 * `run_id`), the whole counter after a restart; undefined without a previous result.
 */
function evictionsSince(
  memory: MemoryUsage,
  previous: CheckResult | undefined,
): { count: number; restarted: boolean } | undefined {
  const before = (previous?.details['memory'] ?? undefined) as PreviousMemory | undefined;
  if (memory.evictedKeys === undefined || typeof before?.evictedKeys !== 'number') return undefined;
  const restarted =
    (typeof before.runId === 'string' && before.runId !== memory.runId) ||
    memory.evictedKeys < before.evictedKeys;
  return {
    count: restarted ? memory.evictedKeys : memory.evictedKeys - before.evictedKeys,
    restarted,
  };
}

const keys = (n: number): string => `${n} key${n === 1 ? '' : 's'}`;

/**
 * Memory in use against `maxmemory`, rated by the optional percentages, and the evictions since
 * the previous run. Near 100% is normal for an LRU cache, which is why the thresholds are
 * opt-in; evictions are always reported, because they are the cache quietly losing data.
 */
export function evaluateMemory(
  memory: MemoryUsage,
  thresholds: MemoryThresholds,
  previous: CheckResult | undefined,
): MemoryVerdict {
  const percent =
    memory.maxBytes === null
      ? null
      : Math.round(((memory.usedBytes * 100) / memory.maxBytes) * 10) / 10;
  const raw = memory.maxBytes === null ? null : (memory.usedBytes * 100) / memory.maxBytes;
  const { memoryWarningPercent: warning, memoryCriticalPercent: critical } = thresholds;
  let status: Status = 'ok';
  if (raw !== null && critical !== undefined && raw >= critical) status = 'critical';
  else if (raw !== null && warning !== undefined && raw >= warning) status = 'warning';

  const policy = memory.policy ? `, ${memory.policy}` : '';
  const judged = warning !== undefined || critical !== undefined;
  const used =
    memory.maxBytes === null
      ? `memory ${formatBytes(memory.usedBytes)} used (no maxmemory set${judged ? ': memory thresholds not applied' : ''})`
      : `memory ${formatBytes(memory.usedBytes)} of ${formatBytes(memory.maxBytes)} (${percent}%${policy})`;
  const since = evictionsSince(memory, previous);
  let evictions = '';
  if (since?.restarted) {
    evictions = `, server restarted since the previous run (${keys(since.count)} evicted since)`;
  } else if (since && since.count > 0) {
    evictions = `, ${keys(since.count)} evicted since the previous run`;
  } else if (!since && memory.evictedKeys) {
    evictions = `, ${keys(memory.evictedKeys)} evicted since the server started`;
  }
  const parts = [
    warning !== undefined ? `warning at ${warning}%` : '',
    critical !== undefined ? `critical at ${critical}%` : '',
  ].filter(Boolean);
  return {
    status,
    text: `${used}${evictions}`,
    ...(judged ? { limits: `memory ${parts.join(', ')}` } : {}),
    details: {
      usedBytes: memory.usedBytes,
      maxBytes: memory.maxBytes,
      usedPercent: percent,
      ...(memory.policy ? { policy: memory.policy } : {}),
      ...(memory.evictedKeys !== undefined ? { evictedKeys: memory.evictedKeys } : {}),
      ...(since ? { evictedSincePrevious: since.count } : {}),
      ...(since?.restarted ? { restartedSincePrevious: true } : {}),
      ...(memory.runId ? { runId: memory.runId } : {}),
      ...(warning !== undefined ? { memoryWarningPercent: warning } : {}),
      ...(critical !== undefined ? { memoryCriticalPercent: critical } : {}),
    },
  };
}
