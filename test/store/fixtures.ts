import { initialAlertState } from '../../lib/alerting/alert-state.ts';
import type { StoredCheckState } from '../../lib/alerting/result-store.ts';
import type { CheckResult } from '../../lib/core/result.ts';

export function result(
  check: string,
  startedAt: string,
  extra: Partial<CheckResult> = {},
): CheckResult {
  return {
    check,
    type: 'disk',
    status: 'ok',
    summary: 'fine',
    details: {},
    durationMs: 1,
    startedAt,
    finishedAt: startedAt,
    ...extra,
  };
}

export function state(
  check: string,
  version: number,
  extra: Partial<StoredCheckState> = {},
): StoredCheckState {
  return {
    check,
    version,
    appliedSlots: [],
    alert: initialAlertState('2026-11-22T01:00:00.000Z'),
    ...extra,
  };
}
