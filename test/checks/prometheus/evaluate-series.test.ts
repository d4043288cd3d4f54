import { describe, expect, it } from 'vitest';
import {
  evaluateSeries,
  type SeriesRules,
  seriesName,
} from '../../../lib/checks/prometheus/evaluate-series.ts';

const rules = (over: Partial<SeriesRules> = {}): SeriesRules => ({
  op: '>',
  noData: 'unknown',
  listLimit: 10,
  ...over,
});
const sample = (labels: Record<string, string>, value: string) => ({
  metric: labels,
  value: [1_700_000_000, value] as [number, string],
});

describe('evaluateSeries', () => {
  it('lists at most five names in the summary and listLimit series in details', () => {
    const samples = Array.from({ length: 8 }, (_, i) => sample({ pod: `p${i}` }, String(100 + i)));
    const outcome = evaluateSeries(
      samples,
      rules({ warning: 50, series: '{{pod}}', listLimit: 3 }),
      new Map(),
    );
    expect(outcome.summary).toBe('107 > 50: p7, p6 106, p5 105, p4 104, p3 103, and 3 more');
    expect(outcome.details).toMatchObject({ seriesCount: 8, seriesOmitted: 5 });
    expect(outcome.details?.['series']).toHaveLength(3);
    expect(Object.keys(outcome.details?.['failing'] as object)).toHaveLength(8);
  });

  it('a NaN value is no data for that series', () => {
    const outcome = evaluateSeries(
      [sample({ svc: 'a' }, 'NaN'), sample({ svc: 'b' }, '0.0001')],
      rules({ critical: 0.001, series: '{{svc}}' }),
      new Map(),
    );
    expect(outcome).toMatchObject({
      status: 'unknown',
      summary: '1 series without a value (NaN): a',
    });
    const quiet = evaluateSeries(
      [sample({ svc: 'a' }, 'NaN')],
      rules({ critical: 0.001, series: '{{svc}}', noData: 'ok' }),
      new Map(),
    );
    expect(quiet.status).toBe('ok');
  });

  it('puts the worst problem first: a missing series count before a warning', () => {
    const outcome = evaluateSeries(
      [sample({ job: 'a' }, '7')],
      rules({ warning: 5, series: '{{job}}', expectSeries: { min: 2, max: 2 } }),
      new Map(),
    );
    expect(outcome).toMatchObject({
      status: 'critical',
      summary: '1 series, expected 2; 7 > 5: a',
    });
  });

  it('a held series stays at its previous level until past recover', () => {
    const previous = new Map([['a', 'warning' as const]]);
    const held = evaluateSeries(
      [sample({ job: 'a' }, '15')],
      rules({ warning: 20, recover: 5, series: '{{job}}', unit: 'percent' }),
      previous,
    );
    expect(held).toMatchObject({ status: 'warning', summary: '15% (warning until < 5%): a' });
    const clear = evaluateSeries(
      [sample({ job: 'a' }, '4')],
      rules({ warning: 20, recover: 5, series: '{{job}}', unit: 'percent' }),
      previous,
    );
    expect(clear).toMatchObject({
      status: 'ok',
      summary: 'ok: a 4% (warning > 20%, clears < 5%)',
    });
  });

  it('names series by template, or by metric name and sorted labels', () => {
    expect(seriesName({ __name__: 'up', job: 'erp', instance: 'x:1' }, undefined)).toBe(
      'up{instance="x:1", job="erp"}',
    );
    expect(
      seriesName({ consumergroup: 'payments', topic: 'cdc' }, '{{ consumergroup }}/{{topic}}'),
    ).toBe('payments/cdc');
    expect(seriesName({}, undefined)).toBe('');
  });
});
