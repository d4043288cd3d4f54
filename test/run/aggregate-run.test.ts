import { describe, expect, it } from 'vitest';
import type { CheckConfig } from '../../lib/config/load-config.ts';
import type { CheckResult } from '../../lib/core/result.ts';
import { collectShardResults, missingShardSummary } from '../../lib/run/aggregate-run.ts';
import { shardsOf } from '../../lib/shard/suite-shards.ts';
import { fakeCheck } from '../support/fake-checks.ts';

const checks: CheckConfig[] = Array.from({ length: 40 }, (_, i) => fakeCheck(`c-${i}`, 'http'));
const now = new Date('2026-12-01T02:05:00Z');
const shards = shardsOf(checks, 3);

const ran = (check: CheckConfig): CheckResult => ({
  check: check.id,
  type: check.type,
  status: 'ok',
  summary: 'fine',
  details: {},
  durationMs: 5,
  startedAt: '2026-12-01T02:00:01.000Z',
  finishedAt: '2026-12-01T02:00:01.005Z',
});

const stored = (indexes: number[]) =>
  new Map(indexes.map((index) => [index, (shards[index - 1] ?? []).map(ran)]));

describe('collectShardResults', () => {
  it.each([
    { name: 'every shard finished', finished: [1, 2, 3], missing: [] },
    { name: 'shard 2 failed', finished: [1, 3], missing: [2] },
    { name: 'no shard finished', finished: [], missing: [1, 2, 3] },
  ])('$name', ({ finished, missing }) => {
    const out = collectShardResults(checks, 3, stored(finished), now);
    expect(out.missingShards).toEqual(missing);
    // Every check once, in config order.
    expect(out.results.map((r) => r.check)).toEqual(checks.map((c) => c.id));
    for (const index of missing) {
      for (const check of shards[index - 1] ?? []) {
        const result = out.results.find((r) => r.check === check.id);
        // Not run: skipped (no alert state change), never a plain `unknown` that would page.
        expect(result).toMatchObject({
          skipped: true,
          summary: missingShardSummary(index, 3),
          startedAt: now.toISOString(),
        });
      }
    }
    const skipped = out.results.filter((r) => r.skipped).length;
    const expectedSkipped = missing.reduce((n, i) => n + (shards[i - 1]?.length ?? 0), 0);
    expect(skipped).toBe(expectedSkipped);
  });

  it('ignores a result a shard stored for a check that is not its own', () => {
    const foreign = ran(shards[1]?.[0] as CheckConfig);
    const out = collectShardResults(
      checks,
      3,
      new Map([[1, [...(shards[0] ?? []).map(ran), { ...foreign, status: 'critical' }]]]),
      now,
    );
    expect(out.results.find((r) => r.check === foreign.check)?.skipped).toBe(true);
  });
});
