import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMetricsPublisher } from '../../functions/runner/metrics-publisher.ts';
import { runMetricRecords } from '../../functions/runner/run-metrics.ts';
import type { CheckResult } from '../../lib/core/result.ts';
import { buildReport } from '../../lib/core/run-report.ts';

interface EmfLine {
  readonly _aws: {
    readonly CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[];
  };
  readonly [key: string]: unknown;
}

function result(index: number, type: string): CheckResult {
  const at = '2026-12-01T01:00:00.000Z';
  return {
    check: `${type}-${index}`,
    type,
    status: index % 10 === 0 ? 'critical' : 'ok',
    summary: 'fine',
    details: {},
    durationMs: 1000 + index,
    startedAt: at,
    finishedAt: at,
  };
}

/** Runs `publish` against a real Powertools Metrics and returns the EMF lines it wrote. */
function captureEmf(publish: (metrics: Metrics) => void): EmfLine[] {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const metrics = new Metrics({ namespace: 'Healthcheck', serviceName: 'healthcheck-runner' });
    publish(metrics);
    // What the logMetrics middleware does when the invocation ends.
    metrics.publishStoredMetrics();
  } finally {
    write.mockRestore();
  }
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
}

const valuesOf = (line: EmfLine, name: string): number[] => {
  const value = line[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as number[]) : [value as number];
};

afterEach(() => vi.restoreAllMocks());

describe('runner metrics through Powertools', () => {
  it('keeps the checkType dimension on every CheckDuration value past 100 of one type', () => {
    const results = [
      ...Array.from({ length: 150 }, (_, i) => result(i, 'http')),
      ...Array.from({ length: 3 }, (_, i) => result(i, 'disk')),
    ];
    const report = buildReport(
      'morning',
      new Date('2026-12-01T01:00:00Z'),
      new Date('2026-12-01T01:00:05Z'),
      results,
    );
    const emf = captureEmf((metrics) =>
      createMetricsPublisher(metrics)(runMetricRecords('morning', report, { perCheck: true })),
    );

    const durationLines = emf.filter((line) => valuesOf(line, 'CheckDuration').length > 0);
    for (const line of durationLines) {
      expect(line._aws.CloudWatchMetrics[0]?.Dimensions.flat()).toContain('checkType');
      expect(line['checkType']).toMatch(/^(http|disk)$/);
    }
    const durationsOf = (type: string): number[] =>
      durationLines
        .filter((line) => line['checkType'] === type)
        .flatMap((line) => valuesOf(line, 'CheckDuration'));
    expect(durationsOf('http').sort((a, b) => a - b)).toEqual(
      results.filter((r) => r.type === 'http').map((r) => r.durationMs),
    );
    expect(durationsOf('disk')).toHaveLength(3);

    const sumOf = (name: string, type: string): number =>
      emf
        .filter((line) => line['checkType'] === type)
        .reduce((sum, line) => sum + valuesOf(line, name).reduce((a, b) => a + b, 0), 0);
    expect(sumOf('ChecksRun', 'http')).toBe(150);
    expect(sumOf('ChecksFailed', 'http')).toBe(15);

    // Every check's status and the suite's completion, each under its own dimension.
    const statusLines = emf.filter((line) => valuesOf(line, 'CheckStatus').length > 0);
    expect(statusLines.map((line) => line['check'])).toHaveLength(153);
    const completed = emf.filter((line) => valuesOf(line, 'SuiteCompleted').length > 0);
    expect(completed).toHaveLength(1);
    expect(completed[0]?.['suite']).toBe('morning');
    // Without per-check metrics (the default), no CheckStatus series at all: statuses go to logs.
    const lean = captureEmf((metrics) =>
      createMetricsPublisher(metrics)(runMetricRecords('morning', report)),
    );
    expect(lean.filter((line) => valuesOf(line, 'CheckStatus').length > 0)).toEqual([]);
    expect(lean.filter((line) => valuesOf(line, 'SuiteCompleted').length > 0)).toHaveLength(1);
    // Nothing was published without a dimension of ours.
    for (const line of emf) {
      const dimensions = line._aws.CloudWatchMetrics[0]?.Dimensions.flat() ?? [];
      expect(dimensions.some((d) => ['checkType', 'check', 'suite'].includes(d))).toBe(true);
    }
  });
});
