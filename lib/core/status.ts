/** Check statuses, ordered from best to worst for aggregation (SPEC.md "Status model"). */
export const statuses = ['ok', 'warning', 'unknown', 'critical'] as const;
export type Status = (typeof statuses)[number];

const rank: Record<Status, number> = { ok: 0, warning: 1, unknown: 2, critical: 3 };

/** Nagios/monitoring-plugins exit codes. */
export const exitCodeByStatus: Record<Status, number> = {
  ok: 0,
  warning: 1,
  critical: 2,
  unknown: 3,
};

export function worstStatus(list: Iterable<Status>): Status {
  let worst: Status = 'ok';
  for (const status of list) if (rank[status] > rank[worst]) worst = status;
  return worst;
}

export function compareStatus(a: Status, b: Status): number {
  return rank[a] - rank[b];
}

export function isFailing(status: Status): boolean {
  return status !== 'ok';
}
