import * as z from 'zod';
import { httpClientFields, httpUrlProblem } from '../../http/index.ts';
import type { CheckConfigFor } from '../plugin.ts';
import { parseMatcher, splitMatchers } from './matchers.ts';

export const defaultStatusBySeverity: Readonly<Record<string, 'critical' | 'warning' | 'ok'>> = {
  critical: 'critical',
  p1: 'critical',
  p2: 'critical',
  high: 'critical',
  warning: 'warning',
  p3: 'warning',
};

/** Checked on the field itself, so a problem elsewhere in the check does not hide it. */
const AlertmanagerUrl = z
  .string()
  .min(1)
  .superRefine((url, ctx) => {
    const problem = httpUrlProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
    else if (/\/api\/v1(\/|$)/.test(url)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'Alertmanager removed API v1 in 0.27; give the base URL (http://alertmanager:9093): the check reads /api/v2/alerts',
      });
    }
  });

const MatcherText = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    for (const part of splitMatchers(text)) {
      const parsed = parseMatcher(part);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
    }
  });

export const alertmanagerFields = {
  url: AlertmanagerUrl.describe(
    'Alertmanager base URL, e.g. http://alertmanager:9093 (reads /api/v2/alerts)',
  ),
  ...httpClientFields,
  matchers: z
    .union([MatcherText, z.array(MatcherText).min(1)])
    .optional()
    .describe('Label matchers, e.g. [\'severity=~"critical|P1|P2"\', \'team="erp"\']'),
  includeSilenced: z.boolean().default(false).describe('Count silenced alerts too'),
  includeInhibited: z.boolean().default(false).describe('Count inhibited alerts too'),
  ignoreAlertnames: z
    .array(z.string().min(1))
    .default(['Watchdog', 'InfoInhibitor'])
    .describe('Alert names that are never findings'),
  minFiringMinutes: z
    .number()
    .min(0)
    .default(0)
    .describe('Ignore alerts firing for less than this'),
  severityLabel: z.string().min(1).default('severity').describe('The label statusBySeverity reads'),
  statusBySeverity: z
    .record(z.string().min(1), z.enum(['critical', 'warning', 'ok']))
    .optional()
    .describe(
      'Check status per severity label value, over the defaults (critical/P1/P2/high: critical, warning/P3: warning; others: warning); ok ignores',
    ),
  expectWatchdog: z
    .union([z.string().min(1), z.boolean()])
    .optional()
    .describe("An alert that must be firing (the dead-man's switch); true means Watchdog"),
  listLimit: z.int().min(1).max(100).default(10).describe('Alerts listed in details'),
};

export type AlertmanagerCheckConfig = CheckConfigFor<typeof alertmanagerFields>;

export function matcherList(matchers: string | readonly string[] | undefined): string[] {
  if (matchers === undefined) return [];
  return (typeof matchers === 'string' ? [matchers] : matchers).flatMap(splitMatchers);
}
