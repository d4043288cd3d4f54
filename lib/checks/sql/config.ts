import * as z from 'zod';
import { requireNotAbove } from '../../config/fields.ts';
import { connectionUrlField, refineEngineUrl, tlsField } from '../../db/connection-fields.ts';
import type { CheckConfigFor } from '../plugin.ts';
import { refineThresholds, thresholdFields } from '../threshold-fields.ts';
import { scanStatement } from './statement.ts';

export const sqlEngines = ['postgres', 'mysql'] as const;
export type SqlEngine = (typeof sqlEngines)[number];

/** `{column}` in `describe`; the name may hold anything but braces. */
export const describePattern = /\{([^{}]+)\}/g;

const GrowthPercent = z.number().positive().max(100_000);

export const sqlFields = {
  engine: z.enum(sqlEngines).describe('postgres (also CockroachDB) or mysql (also MariaDB)'),
  url: connectionUrlField(
    'postgres://monitor:${secret:ID}@host:5432/erp or mysql://monitor:${secret:ID}@host:3306/erp; a whole-URL ${secret:ID} works too',
  ),
  ca: z
    .string()
    .min(1)
    .optional()
    .describe(
      'PEM text, or a path to a PEM file: connect with TLS and trust this CA besides the system store',
    ),
  tls: tlsField,
  query: z
    .string()
    .min(1)
    .describe('One read-only statement; placeholders $1, $2 (postgres) or ? (mysql) take params'),
  params: z
    .array(z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .default([])
    .describe(
      'Values bound to the placeholders in order, by the server (never spliced into the text)',
    ),
  measure: z
    .enum(['rows', 'value'])
    .default('rows')
    .describe(
      'rows: the number of rows is the value; value: the first column of the first row, numeric',
    ),
  ...thresholdFields,
  describe: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Per-row text for the summary, e.g. "{sku} {name}: {on_hand} left" (default: the first columns)',
    ),
  redactColumns: z
    .array(z.string().min(1))
    .optional()
    .describe('Columns shown as *** in the summary and details (personal data such as emails)'),
  growth: z
    .strictObject({
      warningPercent: GrowthPercent.optional().describe('Growth since the previous run that warns'),
      criticalPercent: GrowthPercent.optional().describe(
        'Growth since the previous run that is critical',
      ),
    })
    .optional()
    .describe('Judge the value against the previous recorded one (database growth)'),
};

type ParsedSql = z.output<z.ZodObject<typeof sqlFields>>;
export type SqlCheckConfig = CheckConfigFor<typeof sqlFields>;

function refineQuery(config: ParsedSql, ctx: z.RefinementCtx): void {
  const scan = scanStatement(config.query, config.engine);
  if (scan.empty) {
    ctx.addIssue({
      code: 'custom',
      path: ['query'],
      message: 'holds no statement (only comments)',
    });
  }
  if (scan.extraStatement) {
    ctx.addIssue({
      code: 'custom',
      path: ['query'],
      message: 'must be one statement: remove what follows the first ";"',
    });
  }
  if (scan.placeholders !== config.params.length) {
    const placeholder = config.engine === 'postgres' ? '$n placeholders' : '? placeholders';
    ctx.addIssue({
      code: 'custom',
      path: ['params'],
      message: `the query has ${scan.placeholders} ${placeholder} but params has ${config.params.length} values`,
    });
  }
}

export function refineSqlConfig(config: ParsedSql, ctx: z.RefinementCtx): void {
  refineEngineUrl(ctx, config.engine, config.url);
  refineQuery(config, ctx);
  refineThresholds(config, ctx, { growth: config.growth });
  if (
    config.growth &&
    config.growth.warningPercent === undefined &&
    config.growth.criticalPercent === undefined
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['growth'],
      message: 'set warningPercent or criticalPercent',
    });
  }
  requireNotAbove(
    ctx,
    { path: ['growth', 'warningPercent'], value: config.growth?.warningPercent },
    { name: 'growth.criticalPercent', value: config.growth?.criticalPercent },
  );
  if (config.ca !== undefined && typeof config.tls === 'object' && config.tls.ca !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['ca'], message: 'set either ca or tls.ca, not both' });
  }
  if (config.ca !== undefined && config.tls === false) {
    ctx.addIssue({ code: 'custom', path: ['ca'], message: 'a ca needs TLS, but tls is false' });
  }
}
