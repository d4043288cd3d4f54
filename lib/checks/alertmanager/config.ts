import { z } from 'zod';
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

export const alertmanagerFields = {
  url: z
    .string()
    .min(1)
    .describe('Alertmanager base URL, e.g. http://alertmanager:9093 (reads /api/v2/alerts)'),
  ...httpClientFields,
  matchers: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
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

export function refineAlertmanagerConfig(
  config: z.output<z.ZodObject<typeof alertmanagerFields>>,
  ctx: z.RefinementCtx,
): void {
  const urlProblem = httpUrlProblem(config.url);
  if (urlProblem) ctx.addIssue({ code: 'custom', path: ['url'], message: urlProblem });
  else if (/\/api\/v1(\/|$)/.test(config.url)) {
    ctx.addIssue({
      code: 'custom',
      path: ['url'],
      message:
        'Alertmanager removed API v1 in 0.27; give the base URL (http://alertmanager:9093): the check reads /api/v2/alerts',
    });
  }
  const entries = typeof config.matchers === 'string' ? [config.matchers] : (config.matchers ?? []);
  entries.forEach((entry, i) => {
    for (const text of splitMatchers(entry)) {
      const parsed = parseMatcher(text);
      if (typeof parsed === 'string') {
        ctx.addIssue({
          code: 'custom',
          path: typeof config.matchers === 'string' ? ['matchers'] : ['matchers', i],
          message: parsed,
        });
      }
    }
  });
}
