import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  defaultAssumptions,
  estimateMonthlyCost,
  fleetConfig,
  runsPerMonth,
  usEast1Prices,
} from '../../bench/cost-model.ts';
import { loadConfigFile, parseConfigText } from '../../lib/config/load-config.ts';

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
    const watchdogRuns = defaultAssumptions.watchdogRunsPerMonth;
    const watchdogResults = watchdogRuns * 4; // one per suite per watchdog run
    expect(byItem('invocations')?.quantity).toBeCloseTo(runs + passes + watchdogRuns, 6);
    expect(byItem('invocations')?.listUsd).toBeCloseTo(
      (runs + passes + watchdogRuns) * usEast1Prices.schedulerPerInvocation,
    );
    // 5 checks, 1 incident each: trigger + resolve; 2 checks page (P2, and the routing key exists).
    const notifications = 10;
    expect(byItem('publishes')?.quantity).toBe(notifications);
    // History + state per result (checks and watchdog), per notification, one suite record per run.
    expect(byItem('writes')?.quantity).toBeCloseTo(
      (checkRuns + watchdogResults) * 3 + notifications + runs,
      6,
    );
    // Each delivery pass reads every check's state once; the watchdog a record and a state per suite.
    expect(byItem('reads')?.quantity).toBeCloseTo(
      checkRuns + notifications + passes * 5 + watchdogResults * 2,
      6,
    );
    expect(byItem('requests (suite runs')?.quantity).toBeCloseTo(runs + passes + watchdogRuns, 6);
    // Per suite and type x 3 (morning 3 types, evening 1, weekly 2, monthly 2) + 4 suites + ColdStart.
    expect(byItem('custom metrics')?.item).toContain('29 series');
    // Runner errors, throttles, near-timeout, two queues, watchdog errors and silence, and
    // refused notifications on SNS, EventBridge and PagerDuty.
    expect(byItem('alarms')?.quantity).toBe(5 + 2 + 3);
    expect(byItem('secrets')?.quantity).toBe(2);
    const total = estimate.lines.reduce((n, l) => n + l.listUsd, 0);
    expect(estimate.totalListUsd).toBeCloseTo(total, 9);
    expect(estimate.totalAfterFreeUsd).toBeLessThan(estimate.totalListUsd);
  });

  it('prices per-check custom metrics: for 5,000 checks every 15 minutes, more than the rest of the stack', () => {
    const checks = Array.from(
      { length: 5000 },
      (_, i) => `  - {id: c${i}, type: disk, paths: [/]}`,
    );
    const config = parseConfigText(
      `suites: [{id: fleet, schedule: "rate(15 minutes)", checks: [${checks.map((_, i) => `c${i}`).join(', ')}]}]\nchecks:\n${checks.join('\n')}\n`,
      { env: {} },
    );
    const metricsLine = (mode: 'per-suite' | 'per-check') =>
      estimateMonthlyCost(config, { ...defaultAssumptions, checkMetrics: mode });
    const perCheck = metricsLine('per-check');
    const perCheckMetrics = perCheck.lines.find((l) => l.item.startsWith('custom metrics'));
    expect(perCheckMetrics?.listUsd).toBeCloseTo(5000 * usEast1Prices.cloudWatchPerMetric, -1);
    expect(perCheckMetrics?.listUsd ?? 0).toBeGreaterThan(
      perCheck.totalListUsd - (perCheckMetrics?.listUsd ?? 0),
    );
    // The default: a few series per suite and type, each check's status in the log instead.
    const perSuite = metricsLine('per-suite').lines.find((l) =>
      l.item.startsWith('custom metrics'),
    );
    expect(perSuite?.listUsd ?? 0).toBeLessThan(5);
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
        watchdogInvokeMs: 0,
      }).lines.find((l) => l.item.startsWith('compute'))?.quantity ?? Number.NaN;
    const runs = (365 * 2 + 52 + 12) / 12;
    expect(compute(1024, 1000)).toBeCloseTo(runs * 1 * 1, 6);
    expect(compute(2048, 1000)).toBeCloseTo(2 * compute(1024, 1000), 6);
    expect(compute(1024, 3000)).toBeCloseTo(3 * compute(1024, 1000), 6);
  });
});

describe('sharded suites', () => {
  it('prices a 5,000-check suite at the runbook schedules as state machine executions', () => {
    const estimate = estimateMonthlyCost(fleetConfig(5000));
    const shards = estimate.suites.map((s) => s.shards);
    expect(new Set(shards).size).toBe(1);
    const perRun = shards[0] ?? 0;
    expect(perRun).toBeGreaterThan(1);
    const runs = estimate.suites.reduce((n, s) => n + s.runsPerMonth, 0);
    const transitions = estimate.lines.find((l) => l.service === 'Step Functions');
    // Per run: 5 states of the parent execution + 2 per shard (its child start and task).
    expect(transitions?.quantity).toBeCloseTo(runs * (5 + 2 * perRun), 6);
    expect(transitions?.listUsd).toBeCloseTo(
      runs * (5 + 2 * perRun) * usEast1Prices.stepFunctionsPerTransition,
      9,
    );
    // One invocation per shard and one aggregation per run, beside the passes and the watchdog.
    const requests = estimate.lines.find((l) => l.item.startsWith('requests'));
    expect(requests?.quantity).toBeCloseTo(
      runs * (perRun + 1) +
        defaultAssumptions.deliveryPassesPerMonth +
        defaultAssumptions.watchdogRunsPerMonth,
      6,
    );
  });

  it('a config of small suites has no Step Functions cost', () => {
    const config = parseConfigText(
      'suites: [{id: s, schedule: "rate(5 minutes)", checks: [d]}]\nchecks: [{id: d, type: disk, paths: [/]}]',
      { env: {} },
    );
    const estimate = estimateMonthlyCost(config);
    expect(estimate.suites[0]?.shards).toBe(1);
    expect(estimate.lines.find((l) => l.service === 'Step Functions')?.quantity).toBe(0);
  });
});
