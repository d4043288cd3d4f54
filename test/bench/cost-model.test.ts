import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  defaultAssumptions,
  estimateMonthlyCost,
  runsPerMonth,
  usEast1Prices,
} from '../../bench/cost-model.ts';
import { loadConfigFile } from '../../lib/config/load-config.ts';

const fixture = fileURLToPath(new URL('../../bench/fixtures/seed-schedules.yaml', import.meta.url));

describe('runsPerMonth', () => {
  it('counts the seeds schedules over a year in the config time zone', () => {
    const zone = 'Asia/Ho_Chi_Minh';
    expect(runsPerMonth('cron(0 8 * * ? *)', zone, 2027)).toBeCloseTo(365 / 12, 6);
    // 2027 starts on a Friday: 52 Mondays, 12 first Saturdays.
    expect(runsPerMonth('cron(0 9 ? * MON *)', zone, 2027)).toBeCloseTo(52 / 12, 6);
    expect(runsPerMonth('cron(0 2 ? * SAT#1 *)', zone, 2027)).toBeCloseTo(1, 6);
    expect(runsPerMonth('rate(15 minutes)', zone, 2027)).toBeCloseTo((365 * 96) / 12, 6);
  });

  it('follows daylight saving: 02:30 does not exist on the spring-forward day', () => {
    expect(runsPerMonth('cron(30 2 * * ? *)', 'America/New_York', 2027)).toBeCloseTo(364 / 12, 6);
    expect(runsPerMonth('cron(30 2 * * ? *)', 'UTC', 2027)).toBeCloseTo(365 / 12, 6);
  });
});

describe('estimateMonthlyCost', () => {
  it('derives every quantity from the config and the assumptions', async () => {
    const config = await loadConfigFile(fixture, { env: false });
    const estimate = estimateMonthlyCost(config, defaultAssumptions);
    const runs = (365 * 2 + 52 + 12) / 12; // morning + evening daily, weekly, monthly
    const checkRuns = (365 * 4 + 365 * 1 + 52 * 2 + 12 * 2) / 12;
    const byItem = (prefix: string) => estimate.lines.find((l) => l.item.startsWith(prefix));

    const passes = defaultAssumptions.deliveryPassesPerMonth;
    expect(passes).toBe((730 * 60) / 5);
    expect(byItem('invocations')?.quantity).toBeCloseTo(runs + passes, 6);
    expect(byItem('invocations')?.listUsd).toBeCloseTo(
      (runs + passes) * usEast1Prices.schedulerPerInvocation,
    );
    // 5 checks, 1 incident each: trigger + resolve; 2 checks page (P2, and the routing key exists).
    const notifications = 10;
    expect(byItem('publishes')?.quantity).toBe(notifications);
    expect(byItem('writes')?.quantity).toBeCloseTo(checkRuns * 3 + notifications, 6);
    // Each delivery pass reads every check's state once.
    expect(byItem('reads')?.quantity).toBeCloseTo(checkRuns + notifications + passes * 5, 6);
    expect(byItem('requests (suite runs')?.quantity).toBeCloseTo(runs + passes, 6);
    // 4 types x 3 + 5 checks + 4 suites + ColdStart.
    expect(byItem('custom metrics')?.item).toContain('22 series');
    // 5 watchdog, 4 missed runs, refused notifications on SNS, EventBridge and PagerDuty.
    expect(byItem('alarms')?.quantity).toBe(5 + 4 + 3);
    expect(byItem('secrets')?.quantity).toBe(2);
    const total = estimate.lines.reduce((n, l) => n + l.listUsd, 0);
    expect(estimate.totalListUsd).toBeCloseTo(total, 9);
    expect(estimate.totalAfterFreeUsd).toBeLessThan(estimate.totalListUsd);
  });

  it('bills compute by memory size and measured duration', async () => {
    const config = await loadConfigFile(fixture, { env: false });
    const compute = (memory: number, overhead: number) =>
      estimateMonthlyCost(config, {
        ...defaultAssumptions,
        runnerMemoryMb: memory,
        deliveryPassMs: 0,
        invokeOverheadMs: overhead,
        checkWaveMs: 0,
      }).lines.find((l) => l.item.startsWith('compute'))?.quantity ?? Number.NaN;
    const runs = (365 * 2 + 52 + 12) / 12;
    expect(compute(1024, 1000)).toBeCloseTo(runs * 1 * 1, 6);
    expect(compute(2048, 1000)).toBeCloseTo(2 * compute(1024, 1000), 6);
    expect(compute(1024, 3000)).toBeCloseTo(3 * compute(1024, 1000), 6);
  });
});
