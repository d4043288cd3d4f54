/**
 * One value against `warning`/`critical` limits with a comparison saying which direction is bad,
 * as the metric and query checks judge them (`op: ">"`, `critical: 5000`). Pure.
 */
export const comparisonOps = ['>', '>=', '<', '<=', '==', '!='] as const;
export type ComparisonOp = (typeof comparisonOps)[number];

export type Level = 'ok' | 'warning' | 'critical';

export interface Thresholds {
  readonly op: ComparisonOp;
  readonly warning?: number | undefined;
  readonly critical?: number | undefined;
}

/** Whether `value` is on the bad side of `limit`. NaN is never bad: callers treat it as no data. */
export function breaches(value: number, op: ComparisonOp, limit: number): boolean {
  switch (op) {
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '==':
      return value === limit;
    case '!=':
      return !Number.isNaN(value) && value !== limit;
  }
}

export function levelOf(value: number, t: Thresholds): Level {
  if (t.critical !== undefined && breaches(value, t.op, t.critical)) return 'critical';
  if (t.warning !== undefined && breaches(value, t.op, t.warning)) return 'warning';
  return 'ok';
}

/** +1 when higher values are worse (`>`), -1 when lower are (`<`), 0 for `==`/`!=`. */
export function badDirection(op: ComparisonOp): 1 | -1 | 0 {
  if (op === '>' || op === '>=') return 1;
  if (op === '<' || op === '<=') return -1;
  return 0;
}

/**
 * Orders values worst first for `op`: the highest for `>`, the lowest for `<`; for `==`/`!=`
 * there is no "closer to bad", so the order is kept (a stable sort).
 */
export function compareWorse(op: ComparisonOp): (a: number, b: number) => number {
  const direction = badDirection(op);
  return (a, b) => {
    if (direction === 0 || a === b) return 0;
    if (Number.isNaN(a)) return 1;
    if (Number.isNaN(b)) return -1;
    return direction * (b - a);
  };
}

/**
 * Hysteresis: a failing value is clear only once strictly past `recover` (below it for `>`/`>=`,
 * above it for `<`/`<=`). "Alert above 20%, clear below 5%."
 */
export function pastRecover(value: number, op: ComparisonOp, recover: number): boolean {
  const direction = badDirection(op);
  if (direction === 0) return true;
  return direction === 1 ? value < recover : value > recover;
}

/** `warning > 5,000, critical > 10,000`, with values shown by `format`. */
export function describeThresholds(t: Thresholds, format: (value: number) => string): string {
  const parts: string[] = [];
  if (t.warning !== undefined) parts.push(`warning ${t.op} ${format(t.warning)}`);
  if (t.critical !== undefined) parts.push(`critical ${t.op} ${format(t.critical)}`);
  return parts.join(', ');
}

/** The limit a level was judged against (for "12,403 > 5,000"). */
export function limitFor(level: Level, t: Thresholds): number | undefined {
  if (level === 'critical') return t.critical;
  if (level === 'warning') return t.warning;
  return undefined;
}
