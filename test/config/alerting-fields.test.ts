import { describe, expect, it } from 'vitest';
import { groupingFor } from '../../lib/alerting/process-run.ts';
import { parseConfig } from '../../lib/config/load-config.ts';

const disk = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'disk',
  paths: ['/'],
  ...extra,
});

function problems(raw: Record<string, unknown>): string[] {
  try {
    parseConfig(raw, { env: {} });
    return [];
  } catch (error) {
    return (error as { problems: string[] }).problems;
  }
}

describe('alerting fields of the config', () => {
  it('dependsOn: unknown ids get a suggestion, self and longer cycles are rejected at their path', () => {
    expect(problems({ checks: [disk('erp-db'), disk('app', { dependsOn: ['erp-dbb'] })] })).toEqual(
      ['checks[1].dependsOn[0]: no check with id "erp-dbb"; did you mean "erp-db"?'],
    );
    expect(problems({ checks: [disk('a', { dependsOn: ['a'] })] })).toEqual([
      'checks[0].dependsOn: dependency cycle: a -> a (a check cannot depend on itself, even through others)',
    ]);
    expect(
      problems({
        checks: [
          disk('a', { dependsOn: ['b'] }),
          disk('b', { dependsOn: ['c'] }),
          disk('c', { dependsOn: ['a'] }),
          disk('d', { dependsOn: ['a'] }),
        ],
      }),
    ).toEqual([
      'checks[0].dependsOn: dependency cycle: a -> b -> c -> a (a check cannot depend on itself, even through others)',
    ]);
    // A diamond is no cycle.
    expect(
      problems({
        checks: [
          disk('net'),
          disk('db', { dependsOn: ['net'] }),
          disk('cache', { dependsOn: ['net'] }),
          disk('app', { dependsOn: ['db', 'cache'] }),
        ],
      }),
    ).toEqual([]);
  });

  it('grouping: defaults on with minChecks 5, a suite may override or turn it off', () => {
    const config = parseConfig(
      {
        defaults: { grouping: { minChecks: 8 } },
        suites: [
          { id: 'a', schedule: 'rate(5 minutes)', checks: ['x'] },
          { id: 'b', schedule: 'rate(5 minutes)', checks: ['x'], grouping: false },
          { id: 'c', schedule: 'rate(5 minutes)', checks: ['x'], grouping: { minChecks: 20 } },
        ],
        checks: [disk('x')],
      },
      { env: {} },
    );
    expect(groupingFor(config, 'a')).toEqual({ enabled: true, minChecks: 8 });
    expect(groupingFor(config, 'b').enabled).toBe(false);
    expect(groupingFor(config, 'c')).toEqual({ enabled: true, minChecks: 20 });
    expect(groupingFor(config, null)).toEqual({ enabled: true, minChecks: 8 });
    expect(groupingFor(parseConfig({ checks: [disk('x')] }, { env: {} }), null)).toEqual({
      enabled: true,
      minChecks: 5,
    });
    expect(problems({ defaults: { grouping: { minChecks: 1 } }, checks: [disk('x')] })).toEqual([
      'defaults.grouping.minChecks: must be at least 2 (a group of one is the check itself)',
    ]);
  });

  it('remindEvery and maxReminders: per check, or in defaults once or per severity', () => {
    const config = parseConfig(
      {
        defaults: { remindEvery: { P1: '30m', P2: '4h' }, maxReminders: { P1: 10 } },
        checks: [
          disk('p1', { severity: 'P1' }),
          disk('p2', { severity: 'P2' }),
          disk('p3', { severity: 'P3' }),
          disk('own', { severity: 'P1', remindEvery: '1h', maxReminders: 2 }),
        ],
      },
      { env: {} },
    );
    const by = new Map(config.checks.map((c) => [c.id, c]));
    expect(by.get('p1')).toMatchObject({ remindEvery: '30m', maxReminders: 10 });
    expect(by.get('p2')).toMatchObject({ remindEvery: '4h' });
    expect(by.get('p2')?.maxReminders).toBeUndefined();
    expect(by.get('p3')?.remindEvery).toBeUndefined();
    expect(by.get('own')).toMatchObject({ remindEvery: '1h', maxReminders: 2 });
    expect(problems({ defaults: { remindEvery: { P1: '0m' } }, checks: [disk('x')] })).toEqual([
      expect.stringContaining('defaults.remindEvery'),
    ]);
  });
});
