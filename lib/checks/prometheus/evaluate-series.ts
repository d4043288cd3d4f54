import type { CheckOutcome, CheckResult } from '../../core/result.ts';
import { compareStatus, type Status, worstStatus } from '../../core/status.ts';
import type { Sample } from '../../prometheus/query-client.ts';
import { fillTemplate } from '../../shared/fill-template.ts';
import { formatMeasure, type MeasureUnit } from '../../shared/format-measure.ts';
import {
  badDirection,
  compareWorse,
  describeThresholds,
  type Level,
  levelOf,
  limitFor,
  pastRecover,
  type Thresholds,
} from '../../shared/threshold.ts';
import { seriesPattern } from './config.ts';

export interface SeriesRules extends Thresholds {
  readonly recover?: number | undefined;
  readonly series?: string | undefined;
  readonly unit?: MeasureUnit | undefined;
  readonly label?: string | undefined;
  readonly noData: Status;
  readonly expectSeries?:
    | { readonly min?: number | undefined; readonly max?: number | undefined }
    | undefined;
  readonly listLimit: number;
}

export interface RatedSeries {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
  readonly status: Status;
  /** Failing only because it has not yet recovered past `recover`. */
  readonly held: boolean;
}

/** Series names, worst first, listed in the summary itself. */
const summaryNames = 5;
/** Failing series remembered for `recover` across runs; far more than anyone reads. */
const maxRemembered = 500;

/** `{consumergroup="payments", topic="orders"}`, or the metric name with its labels. */
export function seriesName(metric: Record<string, string>, template: string | undefined): string {
  const { __name__: name = '', ...labels } = metric;
  if (template) return fillTemplate(template, seriesPattern, (label) => metric[label] ?? '');
  const pairs = Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`);
  if (pairs.length === 0) return name;
  return `${name}{${pairs.join(', ')}}`;
}

/** The per-series failing levels the previous run recorded, for `recover`. */
export function previousFailing(previous: CheckResult | undefined): Map<string, Level> {
  const recorded = previous?.details['failing'];
  const failing = new Map<string, Level>();
  if (!recorded || typeof recorded !== 'object') return failing;
  for (const [name, level] of Object.entries(recorded)) {
    if (level === 'warning' || level === 'critical') failing.set(name, level);
  }
  return failing;
}

function rate(sample: Sample, rules: SeriesRules, before: Map<string, Level>): RatedSeries {
  const name = seriesName(sample.metric, rules.series);
  const { __name__: _, ...labels } = sample.metric;
  const value = Number(sample.value[1]);
  // NaN (0/0 in an error ratio with no traffic) is no value at all, as an empty answer is.
  if (Number.isNaN(value)) return { name, labels, value, status: rules.noData, held: false };
  const level = levelOf(value, rules);
  const was = before.get(name);
  if (
    rules.recover !== undefined &&
    was !== undefined &&
    compareStatus(level, was) < 0 &&
    !pastRecover(value, rules.op, rules.recover)
  ) {
    return { name, labels, value, status: was, held: true };
  }
  return { name, labels, value, status: level, held: false };
}

function countProblem(count: number, expect: SeriesRules['expectSeries']): string | undefined {
  if (!expect) return undefined;
  const { min, max } = expect;
  if ((min === undefined || count >= min) && (max === undefined || count <= max)) return undefined;
  const wanted =
    min !== undefined && max !== undefined
      ? min === max
        ? `expected ${min}`
        : `expected ${min} to ${max}`
      : min !== undefined
        ? `expected at least ${min}`
        : `expected at most ${max}`;
  return `${count.toLocaleString('en-US')} series, ${wanted}`;
}

function expectation(expect: SeriesRules['expectSeries']): string | undefined {
  if (!expect) return undefined;
  if (expect.min !== undefined && expect.max !== undefined) {
    return expect.min === expect.max
      ? `expected ${expect.min}`
      : `expected ${expect.min} to ${expect.max}`;
  }
  return expect.min !== undefined
    ? `expected at least ${expect.min}`
    : `expected at most ${expect.max}`;
}

function listNames(series: readonly RatedSeries[], format: (v: number) => string): string {
  const named = series.filter((s) => s.name !== '');
  if (named.length === 0) return '';
  const listed = named
    .slice(0, summaryNames)
    .map((s, i) => (i === 0 ? s.name : `${s.name} ${format(s.value)}`));
  const more = named.length - summaryNames;
  return `: ${listed.join(', ')}${more > 0 ? `, and ${more} more` : ''}`;
}

interface Part {
  readonly status: Status;
  readonly text: string;
}

/** Rates every series and words the summary, the worst series first. */
export function evaluateSeries(
  samples: readonly Sample[],
  rules: SeriesRules,
  before: Map<string, Level>,
  extra: Record<string, unknown> = {},
): CheckOutcome {
  const format = (v: number) => formatMeasure(v, rules.unit);
  const worse = compareWorse(rules.op);
  const rated = samples
    .map((sample) => rate(sample, rules, before))
    .sort((a, b) => compareStatus(b.status, a.status) || worse(a.value, b.value));
  const prefix = rules.label ? `${rules.label} ` : '';
  const recoverText =
    rules.recover === undefined
      ? ''
      : `${badDirection(rules.op) === 1 ? '<' : '>'} ${format(rules.recover)}`;
  const thresholds = [describeThresholds(rules, format), recoverText ? `clears ${recoverText}` : '']
    .filter(Boolean)
    .join(', ');

  const parts: Part[] = [];
  const failing = rated.filter((s) => !Number.isNaN(s.value) && s.status !== 'ok');
  const head = failing[0];
  if (head) {
    const limit = limitFor(head.status as Level, rules);
    const judged = head.held
      ? `${format(head.value)} (${head.status} until ${recoverText})`
      : `${format(head.value)} ${rules.op} ${format(limit ?? Number.NaN)}`;
    parts.push({ status: head.status, text: `${prefix}${judged}${listNames(failing, format)}` });
  }
  const noValue = rated.filter((s) => Number.isNaN(s.value));
  if (noValue.length > 0 && rules.noData !== 'ok') {
    parts.push({
      status: rules.noData,
      text: `${noValue.length} series without a value (NaN)${listNames(noValue, () => 'NaN')}`,
    });
  }
  const counted = countProblem(rated.length, rules.expectSeries);
  if (counted) parts.push({ status: 'critical', text: counted });
  if (rated.length === 0) {
    parts.push({ status: rules.noData, text: 'no series: the query returned nothing' });
  }
  parts.sort((a, b) => compareStatus(b.status, a.status));

  let summary: string;
  const failed = parts.filter((p) => p.status !== 'ok');
  const context = [thresholds, expectation(rules.expectSeries)].filter(Boolean).join('; ');
  if (failed.length > 0) {
    summary = failed.map((p) => p.text).join('; ');
  } else if (rated.length === 0) {
    summary = `${prefix}no series (noData: ok)`;
  } else {
    const best = rated[0];
    const single = rated.length === 1 && best;
    const worst =
      single && best.name === ''
        ? format(best.value)
        : single
          ? `${best.name} ${format(best.value)}`
          : badDirection(rules.op) !== 0 && thresholds && best
            ? `${rated.length} series, worst ${best.name} ${format(best.value)}`
            : `${rated.length} series`;
    summary = `${prefix}ok: ${worst}${context ? ` (${context})` : ''}`;
  }

  const remembered = rated
    .filter((s) => s.status === 'warning' || s.status === 'critical')
    .slice(0, maxRemembered);
  const listed = rated.slice(0, rules.listLimit);
  return {
    status: worstStatus(parts.map((p) => p.status)),
    summary,
    details: {
      ...extra,
      seriesCount: rated.length,
      op: rules.op,
      ...(rules.warning !== undefined ? { warning: rules.warning } : {}),
      ...(rules.critical !== undefined ? { critical: rules.critical } : {}),
      ...(rules.recover !== undefined ? { recover: rules.recover } : {}),
      ...(rules.unit ? { unit: rules.unit } : {}),
      ...(rules.expectSeries ? { expectSeries: rules.expectSeries } : {}),
      series: listed.map((s) => ({
        name: s.name,
        value: Number.isNaN(s.value) ? null : s.value,
        status: s.status,
        ...(s.held ? { held: true } : {}),
        labels: s.labels,
      })),
      ...(rated.length > listed.length ? { seriesOmitted: rated.length - listed.length } : {}),
      failing: Object.fromEntries(remembered.map((s) => [s.name, s.status])),
    },
  };
}
