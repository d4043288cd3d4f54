import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/core/errors.ts';
import { poolConfig } from './pool-servers.ts';

function problems(fields: Record<string, unknown>): readonly string[] {
  try {
    poolConfig(fields);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('connection-pool config', () => {
  it('applies the SPEC defaults', () => {
    expect(poolConfig({ engine: 'postgres', url: 'postgres://h/db' })).toMatchObject({
      warningPercent: 70,
      criticalPercent: 90,
    });
  });

  it('names the field path of each problem and never repeats the URL', () => {
    const secret = 'Sup3r-Secret';
    const found = problems({
      engine: 'mysql',
      url: `postgres://app:${secret}@db:5432/erp`,
      warningPercent: 95,
      maxConnections: { warning: 60, critical: 50, extra: 1 },
    });
    expect(found).toEqual(expect.arrayContaining(['checks[0].maxConnections.extra: unknown key']));
    const again = problems({
      engine: 'mysql',
      url: `postgres://app:${secret}@db:5432/erp`,
      warningPercent: 95,
      maxConnections: { warning: 60, critical: 50 },
    });
    expect(again).toEqual([
      'checks[0].warningPercent: must not exceed criticalPercent (90)',
      'checks[0].maxConnections.warning: must not exceed maxConnections.critical (50)',
      'checks[0].url: must start with mysql:// or mariadb:// for engine mysql',
    ]);
    expect(JSON.stringify([found, again])).not.toContain(secret);
  });

  it('rejects an unknown engine and non-integer connection counts', () => {
    expect(problems({ engine: 'oracle', url: 'oracle://h' })).toEqual([
      'checks[0].engine: expected one of "postgres", "mysql", "redis"',
    ]);
    expect(
      problems({ engine: 'redis', url: 'redis://h', maxConnections: { critical: 2.5 } }),
    ).toEqual(['checks[0].maxConnections.critical: expected int, got number']);
  });

  it('accepts an unresolved ${secret:} reference inside the URL', () => {
    expect(
      problems({ engine: 'postgres', url: 'postgres://app:${secret:erp/pg}@db:5432/erp' }),
    ).toEqual([]);
  });
});
