import { describe, expect, it } from 'vitest';
import { paletteFor } from '../../lib/cli/colors.ts';
import { renderReport } from '../../lib/cli/render-report.ts';
import { buildReport } from '../../lib/core/run-report.ts';

describe('the run table’s Alerts section', () => {
  it('shows a grouped incident once with its size, its members as one line, suppressed checks with their parent', () => {
    const key = 'morning/group/2026-11-22T01:00:00.000Z';
    const members = Array.from({ length: 50 }, (_, i) => ({
      check: `svc-${i}`,
      event: 'trigger' as const,
      severity: 'P1' as const,
      status: 'critical' as const,
      grouped: key,
    }));
    const report = buildReport(
      'morning',
      new Date(0),
      new Date(0),
      [],
      [
        ...members,
        {
          check: key,
          event: 'trigger',
          severity: 'P1',
          status: 'critical',
          members: 50,
          delivered: ['pagerduty'],
        },
        {
          check: 'app-1',
          event: 'trigger',
          severity: 'P2',
          status: 'critical',
          suppressedBy: ['erp-db'],
        },
      ],
    );
    const text = renderReport(report, paletteFor(false, { NO_COLOR: '1' }), 2);
    expect(text).toContain(`trigger  ${key} P1 critical (50 checks)`);
    expect(text).toContain(`grouped  50 checks told through ${key}`);
    expect(text).toContain('app-1 P2 critical (suppressed: erp-db failing)');
    expect(text).not.toContain('svc-7');
  });
});
