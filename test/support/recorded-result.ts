import type { CheckOutcome, CheckResult } from '../../lib/core/result.ts';

/** An outcome as the store records it (JSON round trip), to hand to the next run as `previous`. */
export function recordedResult(
  outcome: CheckOutcome,
  check: { readonly id: string; readonly type: string },
  at: Date = new Date(),
): CheckResult {
  return {
    check: check.id,
    type: check.type,
    status: outcome.status,
    summary: outcome.summary,
    details: JSON.parse(JSON.stringify(outcome.details ?? {})),
    durationMs: 1,
    startedAt: at.toISOString(),
    finishedAt: at.toISOString(),
  };
}
