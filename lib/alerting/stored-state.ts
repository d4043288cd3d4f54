import * as z from 'zod';
import { statuses } from '../core/status.ts';
import { initialAlertState } from './alert-state.ts';
import { AlertNotificationSchema } from './notification-schema.ts';
import { type StoredCheckState, StoredStateVersionError } from './result-store.ts';

/**
 * The STATE item's schema version. 1: the first layout (a `lastToken` ordering guard, no
 * `schemaVersion` attribute). 2: applied slots, per-channel failures, open incidents, skipped.
 */
export const stateSchemaVersion = 2;

const Status = z.enum(statuses);

/** A check result as persisted (a STATE's last result, a shard's stored results). */
export const CheckResultSchema = z.object({
  check: z.string(),
  type: z.string(),
  status: Status,
  summary: z.string(),
  details: z.record(z.string(), z.unknown()),
  durationMs: z.number(),
  startedAt: z.string(),
  finishedAt: z.string(),
});

/** An outbox entry as persisted (a check's STATE, a grouped incident). */
export const OutboxEntrySchema = z.object({
  notification: AlertNotificationSchema,
  channels: z.array(z.string()),
  failed: z.array(z.object({ channel: z.string(), error: z.string(), at: z.string() })).optional(),
  attempts: z.number().int().min(0),
  lastError: z.string().optional(),
  claimedBy: z.string().optional(),
  claimedUntil: z.string().optional(),
});

const AlertStateSchema = z.object({
  lastStatus: Status,
  statusSince: z.string(),
  failingSince: z.string().optional(),
  consecutiveFailures: z.number().int().min(0),
  consecutiveSuccesses: z.number().int().min(0),
  alertedStatus: Status,
  lastNotifiedAt: z.string().optional(),
  lastRunAt: z.string(),
  outbox: z.array(OutboxEntrySchema).default([]),
  openOn: z.array(z.string()).optional(),
  group: z.string().optional(),
  suppressedBy: z.array(z.string()).optional(),
  remindersSent: z.int().min(0).optional(),
});

const StoredStateSchema = z.object({
  check: z.string().min(1),
  version: z.number().int().min(0),
  appliedSlots: z.array(z.string()).default([]),
  alert: AlertStateSchema,
  lastResult: CheckResultSchema.optional(),
  skipped: z.object({ at: z.string(), reason: z.string() }).optional(),
});

/** What adapters persist: the state plus its schema version (then their own key attributes). */
export function storedStateItem(
  state: StoredCheckState,
): StoredCheckState & { schemaVersion: number } {
  return { ...state, schemaVersion: stateSchemaVersion };
}

/**
 * Reads a persisted STATE back (any adapter). A schema-1 item is migrated (its time-ordering token
 * is dropped: duplicates are recognised by slot from now on). A damaged item does not wedge the
 * check: it comes back as a fresh state at the stored version (so the next conditional write
 * replaces it) with `damaged` set for the caller to log. A newer schema version throws
 * `StoredStateVersionError` rather than be overwritten.
 */
export function parseStoredState(
  raw: unknown,
  checkId: string,
): StoredCheckState & { damaged?: string } {
  const item = (raw ?? {}) as Record<string, unknown>;
  const schemaVersion = item['schemaVersion'] ?? 1;
  if (typeof schemaVersion !== 'number' || schemaVersion > stateSchemaVersion) {
    throw new StoredStateVersionError(checkId, schemaVersion);
  }
  const parsed = StoredStateSchema.safeParse(item);
  if (parsed.success) {
    const { appliedSlots, alert, lastResult, skipped, version } = parsed.data;
    return {
      check: checkId,
      version,
      appliedSlots,
      alert: alert as StoredCheckState['alert'],
      ...(lastResult ? { lastResult } : {}),
      ...(skipped ? { skipped } : {}),
    };
  }
  const problems = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`)
    .join('; ');
  const version = typeof item['version'] === 'number' ? item['version'] : 0;
  return {
    check: checkId,
    version,
    appliedSlots: [],
    alert: initialAlertState(new Date(0).toISOString()),
    damaged: problems,
  };
}
