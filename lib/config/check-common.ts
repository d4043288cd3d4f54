import * as z from 'zod';
import { Id, MaxReminders, ReminderInterval, Severity } from './fields.ts';

/** The longest runbook text a check may carry. */
export const maxRunbookLength = 2000;

/** Fields every check has, whatever its type. */
export const commonCheckShape = {
  id: Id.describe('Unique check id; also the alert dedup key'),
  name: z.string().min(1).max(200).optional().describe('Human-readable name (any language)'),
  severity: Severity.optional(),
  runbook: z
    .string()
    .min(1)
    // It travels in every notification (and each pending one in the check's STATE item).
    .max(maxRunbookLength, {
      message: `at most ${maxRunbookLength} characters: it goes into every alert, so link a longer runbook`,
    })
    .optional()
    .describe('Runbook link or text, included in every alert'),
  timeoutSeconds: z.number().positive().max(900).optional(),
  failureThreshold: z.int().min(1).max(100).optional(),
  successThreshold: z.int().min(1).max(100).optional(),
  remindEvery: ReminderInterval.optional().describe(
    'Re-notify while failing at this interval, at least 1m (off if unset)',
  ),
  maxReminders: MaxReminders.optional(),
  dependsOn: z
    .array(Id)
    .min(1)
    .optional()
    .describe(
      'Checks this one depends on: while one of them is failing, new alerts of this check are suppressed (results, state and resolves go on)',
    ),
};

export const checkDefaults = {
  timeoutSeconds: 20,
  severity: 'P3',
  failureThreshold: 1,
  successThreshold: 1,
} as const;

/** Common fields after `defaults:` and built-in defaults are applied. */
export interface NormalizedCommonFields {
  readonly id: string;
  readonly type: string;
  readonly name?: string;
  readonly severity: Severity;
  readonly runbook?: string;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
  readonly successThreshold: number;
  readonly remindEvery?: string;
  readonly maxReminders?: number;
  readonly dependsOn?: readonly string[];
}
