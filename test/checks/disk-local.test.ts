import { describe, expect, it } from 'vitest';
import { run } from '../../lib/checks/disk/run.ts';
import { parseConfig } from '../../lib/config/load-config.ts';
import { dfPercent } from '../support/df.ts';

function diskConfig(fields: Record<string, unknown>) {
  const config = parseConfig({ checks: [{ id: 'disk', type: 'disk', ...fields }] }, { env: {} });
  return config.checks[0] as Parameters<typeof run>[0];
}

const context = { signal: AbortSignal.timeout(5000), now: new Date(), timezone: 'UTC' };

describe('disk check, local source', () => {
  it('reports used percent the way df does', async () => {
    const outcome = await run(diskConfig({ paths: ['/'] }), {
      ...context,
      signal: AbortSignal.timeout(5000),
    });
    const [fs] = (outcome.details?.['filesystems'] ?? []) as { usedPercent: number }[];
    expect(Math.abs((fs?.usedPercent ?? -100) - dfPercent('/'))).toBeLessThanOrEqual(1);
  });

  it('goes warning and critical as usage crosses the thresholds', async () => {
    const used = dfPercent('/');
    const signal = AbortSignal.timeout(5000);
    const ok = await run(
      diskConfig({ paths: ['/'], warningPercent: used + 5, criticalPercent: used + 10 }),
      { ...context, signal },
    );
    const warning = await run(
      diskConfig({
        paths: ['/'],
        warningPercent: Math.max(0, used - 5),
        criticalPercent: used + 10,
      }),
      { ...context, signal },
    );
    const critical = await run(
      diskConfig({ paths: ['/'], warningPercent: 0, criticalPercent: Math.max(0, used - 5) }),
      { ...context, signal },
    );
    expect([ok.status, warning.status, critical.status]).toEqual(['ok', 'warning', 'critical']);
    expect(critical.summary).toMatch(/^1 of 1 filesystems over threshold: \/ \d+(\.\d)?% used/);
  });

  it('rejects a missing path with the reason', async () => {
    await expect(
      run(diskConfig({ paths: ['/definitely/not/here'] }), {
        ...context,
        signal: AbortSignal.timeout(5000),
      }),
    ).rejects.toThrow(/ENOENT/);
  });

  it('rejects a warning threshold above the critical one', () => {
    expect(() => diskConfig({ paths: ['/'], warningPercent: 90, criticalPercent: 80 })).toThrow(
      /checks\[0\]\.warningPercent: must not exceed criticalPercent \(80\)/,
    );
  });
});
