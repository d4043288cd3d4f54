import * as z from 'zod';
import { parseScheduleExpression } from '../schedule/schedule-expression.ts';
import { isValidTimeZone } from '../schedule/zoned-time.ts';

export const severities = ['P1', 'P2', 'P3', 'P4'] as const;
export const Severity = z
  .enum(severities)
  .describe('P1 (critical) .. P4 (low); routes notifications');
export type Severity = z.infer<typeof Severity>;

export const Id = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/, {
  message: 'must be lowercase letters, digits and dashes, at most 64 characters',
});

export const TimeZone = z
  .string()
  .refine(isValidTimeZone, { message: 'unknown IANA time zone (e.g. Asia/Ho_Chi_Minh, UTC)' })
  .describe('IANA time zone');

export const ScheduleExpressionText = z
  .string()
  .superRefine((value, ctx) => {
    try {
      parseScheduleExpression(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `bad schedule: ${(error as Error).message}` });
    }
  })
  .describe('EventBridge Scheduler expression: cron(...), rate(...) or at(...)');

export const CronExpressionText = ScheduleExpressionText.refine(
  (v) => v.trim().startsWith('cron('),
  {
    message: 'must be a cron(...) expression',
  },
);

const durationUnits: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Parses "90s", "30m", "4h", "1d", "2w" into seconds. */
export function durationSeconds(text: string): number {
  const match = /^(\d+)([smhdw])$/.exec(text.trim());
  if (!match) throw new Error(`bad duration "${text}"`);
  return Number(match[1]) * (durationUnits[match[2] ?? 's'] ?? 1);
}

export const Duration = z
  .string()
  .regex(/^\d+[smhdw]$/, { message: 'expected a duration like 30m, 4h, 1d' })
  .describe('Duration: a number followed by s, m, h, d or w');

/** A reminder interval: a duration of at least a minute (0m would remind on every run). */
export const ReminderInterval = Duration.refine((text) => durationSeconds(text) >= 60, {
  message: 'must be at least 1m (leave remindEvery unset for no reminders)',
}).describe('Re-notify while failing at this interval, e.g. 4h (at least 1m)');

/** The cap on reminders per incident. */
export const MaxReminders = z
  .int()
  .min(1)
  .max(1000)
  .describe('At most this many reminders per incident (no cap if unset)');

/**
 * Grouping per run (lib/alerting/grouping.ts): `false` turns it off; `minChecks` new incidents
 * sharing a cause in one run are told as one grouped incident.
 */
export const Grouping = z
  .union([
    z.literal(false),
    z.strictObject({
      enabled: z.boolean().default(true).describe('false: every check alerts on its own'),
      minChecks: z
        .int()
        .min(2, { message: 'must be at least 2 (a group of one is the check itself)' })
        .max(100_000)
        .default(5)
        .describe('How many new incidents sharing a cause in one run become one grouped incident'),
    }),
  ])
  .describe('One grouped notification when many checks of a suite fail together (false: off)');

export const Percent = z.number().min(0).max(100);

/**
 * Reports `lower` (at its path) when it exceeds `upper`: a warning threshold above the critical
 * one, or a critical number of days above the warning one.
 */
export function requireNotAbove(
  ctx: z.RefinementCtx,
  lower: { readonly path: readonly (string | number)[]; readonly value: number | undefined },
  upper: { readonly name: string; readonly value: number | undefined },
): void {
  if (lower.value === undefined || upper.value === undefined || lower.value <= upper.value) return;
  ctx.addIssue({
    code: 'custom',
    path: [...lower.path],
    message: `must not exceed ${upper.name} (${upper.value})`,
  });
}

const byteUnits: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 1024,
  MIB: 1024 ** 2,
  GIB: 1024 ** 3,
  TIB: 1024 ** 4,
};
const byteSizePattern = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)\s*$/i;

/** A size as bytes, or with a unit: 500MB, 5GiB (decimal and binary units, as `df` and `ls -h`). */
export const ByteSize = z
  .union([
    z.int().min(0),
    z.string().regex(byteSizePattern, { message: 'expected bytes or a size like 500MB, 5GiB' }),
  ])
  .describe('Bytes, or a size with a unit: 500MB, 5GiB');

/** Bytes of a `ByteSize` value. */
export function byteCount(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = byteSizePattern.exec(value);
  if (!match) throw new Error(`bad size "${value}"`);
  return Math.round(Number(match[1]) * (byteUnits[(match[2] ?? 'B').toUpperCase()] ?? 1));
}
