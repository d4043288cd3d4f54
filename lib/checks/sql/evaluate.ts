import type { CheckOutcome } from '../../core/result.ts';
import { worstStatus } from '../../core/status.ts';
import { fillTemplate, templateNames } from '../../shared/fill-template.ts';
import { formatMeasure, type MeasureUnit } from '../../shared/format-measure.ts';
import {
  describeThresholds,
  type Level,
  levelOf,
  limitFor,
  type Thresholds,
} from '../../shared/threshold.ts';
import { describePattern } from './config.ts';
import { type GrowthLimits, judgeGrowth, type RecordedValue } from './growth.ts';
import { SqlResultError } from './query-failure.ts';
import type { QueryRows } from './query-rows.ts';

export interface SqlJudgement extends Thresholds {
  readonly measure: 'rows' | 'value';
  readonly unit?: MeasureUnit | undefined;
  readonly label?: string | undefined;
  readonly describe?: string | undefined;
  readonly redactColumns?: readonly string[] | undefined;
  readonly growth?: GrowthLimits | undefined;
  readonly listLimit: number;
}

const redacted = '***';
/** Rows named in the summary itself; `details.rows` keeps up to listLimit. */
const summaryRows = 5;
const defaultDescribeColumns = 3;

/** A cell as JSON can keep it and a person can read it. */
function cellValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function cellText(value: unknown): string {
  const v = cellValue(value);
  if (v === null) return 'NULL';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Duplicate column names (`count`, `count`) stay apart as `count`, `count_2`. */
function uniqueNames(columns: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return columns.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}_${n}`;
  });
}

function requireColumns(field: string, names: readonly string[], columns: readonly string[]): void {
  const missing = names.filter((name) => !columns.includes(name));
  if (missing.length === 0) return;
  throw new SqlResultError(
    `${field} names ${missing.map((m) => `"${m}"`).join(', ')}, which the query does not return (columns: ${columns.join(', ') || 'none'})`,
  );
}

/** The first column of the first row as a number (pg returns bigint and numeric as text). */
function firstValue(result: QueryRows): number {
  if (result.rows.length === 0) {
    throw new SqlResultError('the query returned no rows; measure value needs one row');
  }
  const raw = result.rows[0]?.[0];
  const value =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'bigint' ||
          (typeof raw === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(raw))
        ? Number(raw)
        : Number.NaN;
  if (!Number.isFinite(value)) {
    const column = result.columns[0] ?? 'the first column';
    throw new SqlResultError(
      `measure value needs a number in the first column, but ${column} is ${raw === null || raw === undefined ? 'NULL' : `"${cellText(raw).slice(0, 40)}"`}`,
    );
  }
  return value;
}

function plural(n: number): string {
  return `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;
}

/** Rates the query's result and words the summary; throws SqlResultError when it cannot. */
export function evaluateSql(
  config: SqlJudgement,
  result: QueryRows,
  measured: Omit<RecordedValue, 'value'>,
  baseline: RecordedValue | undefined,
): CheckOutcome {
  const columns = uniqueNames(result.columns);
  const redact = new Set(config.redactColumns ?? []);
  requireColumns('redactColumns', [...redact], columns);
  const template = config.describe;
  if (template && result.rows.length > 0) {
    requireColumns('describe', templateNames(template, describePattern), columns);
  }
  const shown = (row: readonly unknown[], index: number) =>
    redact.has(columns[index] ?? '') ? redacted : cellValue(row[index]);
  const describeRow = (row: readonly unknown[]): string => {
    if (template) {
      return fillTemplate(template, describePattern, (name) => {
        const value = shown(row, columns.indexOf(name));
        return value === redacted ? redacted : cellText(value);
      });
    }
    return columns
      .slice(0, defaultDescribeColumns)
      .map((name, i) => `${name}=${cellText(shown(row, i))}`)
      .join(' ');
  };

  const value = config.measure === 'rows' ? result.rows.length : firstValue(result);
  // Rows read "3 rows > 0"; a value and its limits share the unit: "12 GiB > 10 GiB".
  const format = (v: number) => formatMeasure(v, config.measure === 'rows' ? 'count' : config.unit);
  const shownValue = config.measure === 'rows' ? plural(value) : format(value);
  const level: Level = levelOf(value, config);
  const limit = limitFor(level, config);
  const thresholds = describeThresholds(config, format);
  const prefix = config.label ? `${config.label} ` : '';
  let summary =
    limit === undefined
      ? `${prefix}${shownValue}${thresholds ? ` (${thresholds})` : ''}`
      : `${prefix}${shownValue} ${config.op} ${format(limit)}`;
  if (config.measure === 'rows' && level !== 'ok' && result.rows.length > 0) {
    const listed = result.rows.slice(0, summaryRows).map(describeRow).join('; ');
    const more = result.rows.length - summaryRows;
    summary += `: ${listed}${more > 0 ? `; and ${more} more` : ''}`;
  }

  const current: RecordedValue = { ...measured, value };
  const growth = config.growth ? judgeGrowth(current, baseline, config.growth) : undefined;
  if (growth) summary += `; ${growth.text}`;

  const listed = result.rows.slice(0, config.listLimit);
  return {
    status: worstStatus([level, growth?.level ?? 'ok']),
    summary,
    details: {
      measure: config.measure,
      value,
      ...(config.unit ? { unit: config.unit } : {}),
      op: config.op,
      ...(config.warning !== undefined ? { warning: config.warning } : {}),
      ...(config.critical !== undefined ? { critical: config.critical } : {}),
      columns,
      rowCount: result.rows.length,
      rows: listed.map((row) =>
        Object.fromEntries(columns.map((name, i) => [name, shown(row, i)])),
      ),
      ...(result.rows.length > listed.length
        ? { rowsOmitted: result.rows.length - listed.length }
        : {}),
      ...(growth ? { growth: growth.details } : {}),
      measured: current,
    },
  };
}
