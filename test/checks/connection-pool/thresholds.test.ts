import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/connection-pool/run.ts';
import {
  context,
  countMysql,
  countPostgres,
  countRedis,
  holdMysql,
  holdPostgres,
  holdRedis,
  mysqlUrl,
  poolConfig,
  postgresUrl,
  redisUrl,
} from './pool-servers.ts';

// Other test files may hold connections on the same servers at the same time, so thresholds sit
// 5 and 15 connections above a measured baseline and each step holds 10 more: the expected
// status survives up to 4 connections of noise either way.
const engines = [
  { engine: 'postgres', url: postgresUrl, hold: holdPostgres, count: countPostgres },
  { engine: 'mysql', url: mysqlUrl, hold: holdMysql, count: countMysql },
  { engine: 'redis', url: redisUrl, hold: holdRedis, count: countRedis },
] as const;

describe.each(engines)('connection-pool $engine thresholds', ({ engine, url, hold, count }) => {
  const held = hold();
  afterEach(() => held.close());

  it('reads the server limit and flips ok -> warning -> critical as real connections are held', async () => {
    const { used: baseline, limit } = await count();
    const absolute = poolConfig({
      engine,
      url,
      warningPercent: 100,
      criticalPercent: 100,
      maxConnections: { warning: baseline + 5, critical: baseline + 15 },
    });
    const percent = poolConfig({
      engine,
      url,
      warningPercent: ((baseline + 4.5) * 100) / limit,
      criticalPercent: ((baseline + 14.5) * 100) / limit,
    });
    const measure = async () => {
      const [a, p] = [await run(absolute, context()), await run(percent, context())];
      return { statuses: [a.status, p.status], outcome: a };
    };

    const before = await measure();
    expect(before.statuses).toEqual(['ok', 'ok']);
    expect(before.outcome.details).toMatchObject({ engine, limit });
    expect(before.outcome.summary).toMatch(
      new RegExp(`^${engine} 127\\.0\\.0\\.1:\\d+: \\d+ of ${limit} connections in use \\(`),
    );

    await held.open(10);
    expect((await measure()).statuses).toEqual(['warning', 'warning']);

    await held.open(10);
    const after = await measure();
    expect(after.statuses).toEqual(['critical', 'critical']);
    const used = after.outcome.details?.['used'] as number;
    expect(used).toBeGreaterThanOrEqual(baseline + 16);
    expect(after.outcome.details?.['usedPercent']).toBeCloseTo((used * 100) / limit, 1);
    expect(after.outcome.summary).toContain(`critical at 100% or ${baseline + 15} connections`);

    await held.close();
    // A server reaps a closed session a moment after the client's socket closes.
    let released = await measure();
    for (let i = 0; i < 20 && released.statuses[0] !== 'ok'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      released = await measure();
    }
    expect(released.statuses).toEqual(['ok', 'ok']);
  });
});
