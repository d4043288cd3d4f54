import * as z from 'zod';
import { requireNotAbove } from '../../config/fields.ts';
import { httpUrlProblem } from '../../http/index.ts';
import { prometheusClientFields } from '../../prometheus/fields.ts';
import { badDirection } from '../../shared/threshold.ts';
import type { CheckConfigFor } from '../plugin.ts';
import { refineThresholds, thresholdFields } from '../threshold-fields.ts';

/** `{{label}}` in `series`, spaces allowed inside the braces as in Grafana legends. */
export const seriesPattern = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g;

const SeriesCount = z.int().min(0);

export const prometheusFields = {
  url: z
    .string()
    .min(1)
    .describe(
      'Base URL of Prometheus, Thanos, Mimir, VictoriaMetrics or Amazon Managed Prometheus (https://aps-workspaces.REGION.amazonaws.com/workspaces/ws-ID)',
    ),
  ...prometheusClientFields,
  query: z
    .string()
    .min(1)
    .describe('PromQL instant query; each returned series is judged on its own'),
  ...thresholdFields,
  recover: z
    .number()
    .optional()
    .describe(
      'A failing series is ok again only once past this value (alert above 20%, clear below 5%)',
    ),
  series: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Name of a series in summaries, from its labels: "{{consumergroup}}/{{topic}}" (default: all labels)',
    ),
  noData: z
    .enum(['ok', 'warning', 'critical', 'unknown'])
    .default('unknown')
    .describe('Status when the query returns no series: an absent metric must not look healthy'),
  expectSeries: z
    .strictObject({
      min: SeriesCount.optional().describe('Fewest series expected ("13/13 services": 13)'),
      max: SeriesCount.optional().describe('Most series expected'),
    })
    .optional()
    .describe('Series count outside this range is critical'),
};

type ParsedPrometheus = z.output<z.ZodObject<typeof prometheusFields>>;
export type PrometheusCheckConfig = CheckConfigFor<typeof prometheusFields>;

function refineRecover(config: ParsedPrometheus, ctx: z.RefinementCtx): void {
  if (config.recover === undefined) return;
  const direction = badDirection(config.op);
  if (direction === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['recover'],
      message: `needs a direction: op must be >, >=, < or <= (not ${config.op})`,
    });
    return;
  }
  // The first threshold crossed on the way up (or down) is where a series starts failing.
  const first = config.warning ?? config.critical;
  if (first !== undefined && direction * (config.recover - first) > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['recover'],
      message: `must be ${direction === 1 ? 'at most' : 'at least'} ${config.warning !== undefined ? 'warning' : 'critical'} (${first}) for op ${config.op}: a failing series clears only once past it`,
    });
  }
}

function refineSeriesTemplate(template: string | undefined, ctx: z.RefinementCtx): void {
  if (template === undefined) return;
  const rest = template.replace(seriesPattern, '');
  if (rest.includes('{{') || rest.includes('}}')) {
    ctx.addIssue({
      code: 'custom',
      path: ['series'],
      message:
        'placeholders are {{label}} with a Prometheus label name, e.g. "{{consumergroup}}/{{topic}}"',
    });
  }
}

export function refinePrometheusConfig(config: ParsedPrometheus, ctx: z.RefinementCtx): void {
  const urlProblem = httpUrlProblem(config.url);
  if (urlProblem) ctx.addIssue({ code: 'custom', path: ['url'], message: urlProblem });
  refineThresholds(config, ctx, { expectSeries: config.expectSeries });
  refineRecover(config, ctx);
  refineSeriesTemplate(config.series, ctx);
  const expect = config.expectSeries;
  if (expect && expect.min === undefined && expect.max === undefined) {
    ctx.addIssue({ code: 'custom', path: ['expectSeries'], message: 'set min or max' });
  }
  requireNotAbove(
    ctx,
    { path: ['expectSeries', 'min'], value: expect?.min },
    { name: 'expectSeries.max', value: expect?.max },
  );
}
