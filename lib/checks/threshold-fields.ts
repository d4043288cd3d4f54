import * as z from 'zod';
import { measureUnits } from '../shared/format-measure.ts';
import { badDirection, type ComparisonOp, comparisonOps } from '../shared/threshold.ts';

/** `op`, `warning`, `critical`: the fields of checks that compare one number per item. */
export const thresholdFields = {
  op: z
    .enum(comparisonOps)
    .default('>')
    .describe('Which direction is bad: the value is failing when `value <op> threshold`'),
  warning: z.number().optional().describe('Threshold for warning'),
  critical: z.number().optional().describe('Threshold for critical'),
  unit: z
    .enum(measureUnits)
    .optional()
    .describe(
      'How values are shown: percent (0-100), ratio (0-1, shown as %), ms, s, bytes, count',
    ),
  label: z
    .string()
    .min(1)
    .max(80)
    .optional()
    .describe('What the value is, starting the summary: "consumer lag", "p95 latency"'),
  listLimit: z.int().min(0).max(100).default(10).describe('Items kept in details'),
};

interface ThresholdInput {
  readonly op: ComparisonOp;
  readonly warning?: number | undefined;
  readonly critical?: number | undefined;
}

/**
 * At least one threshold (or one of `alternatives`, the check's other ways of failing), and a
 * warning that fires before the critical one in the bad direction.
 */
export function refineThresholds(
  config: ThresholdInput,
  ctx: z.RefinementCtx,
  alternatives: Readonly<Record<string, unknown>> = {},
): void {
  const others = Object.keys(alternatives);
  if (
    config.warning === undefined &&
    config.critical === undefined &&
    Object.values(alternatives).every((v) => v === undefined)
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['critical'],
      message: `set warning or critical${others.length ? ` (or ${others.join(' or ')})` : ''}`,
    });
  }
  const direction = badDirection(config.op);
  if (config.warning === undefined || config.critical === undefined || direction === 0) return;
  if (direction * (config.warning - config.critical) > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['warning'],
      message: `must be ${direction === 1 ? 'at most' : 'at least'} critical (${config.critical}) for op ${config.op}: the warning comes first`,
    });
  }
}
