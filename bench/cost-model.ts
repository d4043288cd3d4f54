/**
 * Monthly AWS cost of running a config with the deployed stack, at on-demand list prices for
 * us-east-1 (N. Virginia; ap-southeast-1 is 10-25% dearer for most items). Run it on any config:
 *
 *   node bench/cost-model.ts [--config FILE | --fleet 5000] [--memory-mb 512] [--invoke-ms N] [--check-wave-ms N]
 *                            [--incidents-per-check 1] [--check-metrics per-suite|per-check] [--json]
 *
 * Runs per month come from the suites' schedules, counted minute by minute in the config's time
 * zone over a whole year with `lib/schedule/schedule-expression.ts`, then averaged per month.
 * Every other quantity follows from the config and the assumptions printed with the estimate.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Config, loadConfigFile, parseConfigText } from '../lib/config/load-config.ts';
import { secretIds } from '../lib/config/references.ts';
import { suiteShardPlans } from '../lib/infra/shard-plans.ts';
import { parseScheduleExpression } from '../lib/schedule/schedule-expression.ts';
import { zonedParts } from '../lib/schedule/zoned-time.ts';
import type { BenchContext } from './support/context.ts';
import {
  type BenchTable,
  emptySection,
  renderTable,
  type SectionResult,
} from './support/report.ts';
import { round } from './support/stats.ts';

/** On-demand list prices, us-east-1, USD, as published by AWS (checked 2026-11). */
export const usEast1Prices = {
  region: 'us-east-1',
  schedulerPerInvocation: 1.0 / 1e6,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1e6,
  dynamoPerWriteUnit: 0.625 / 1e6,
  dynamoPerReadUnit: 0.125 / 1e6,
  dynamoStoragePerGbMonth: 0.25,
  snsPerPublish: 0.5 / 1e6,
  snsPerEmail: 2.0 / 1e5,
  eventBridgePerEvent: 1.0 / 1e6,
  cloudWatchPerMetric: 0.3,
  cloudWatchPerAlarm: 0.1,
  cloudWatchPerDashboard: 3.0,
  logsPerGbIngested: 0.5,
  xrayPerTrace: 5.0 / 1e6,
  secretPerMonth: 0.4,
  secretsPerApiCall: 0.05 / 1e4,
  kmsKeyPerMonth: 1.0,
  kmsPerRequest: 0.03 / 1e4,
  /** Standard workflows; a Distributed Map's Standard child executions bill the same way. */
  stepFunctionsPerTransition: 0.025 / 1000,
} as const;

export type PriceList = typeof usEast1Prices;

/** Monthly always-free allowances that apply to the lines below (accounts of any age). */
export const alwaysFree = {
  schedulerInvocations: 14e6,
  lambdaGbSeconds: 400_000,
  lambdaRequests: 1e6,
  snsPublishes: 1e6,
  snsEmails: 1000,
  cloudWatchMetrics: 10,
  cloudWatchAlarms: 10,
  cloudWatchDashboards: 3,
  logsGb: 5,
  xrayTraces: 100_000,
  dynamoStorageGb: 25,
  kmsRequests: 20_000,
  stepFunctionsTransitions: 4000,
} as const;

export interface Assumptions {
  /** Runner memory (the construct's default, `runnerMemorySize ?? 512` in lib/infra). */
  readonly runnerMemoryMb: number;
  /** Per runner invocation, besides the checks: INIT (billed since Aug 2025) + handler overhead. */
  readonly invokeOverheadMs: number;
  /** Time of one wave of concurrent checks against real targets across a network. */
  readonly checkWaveMs: number;
  /** One delivery pass of the runner (every 5 minutes: read the states, deliver what waits). */
  readonly deliveryPassMs: number;
  readonly deliveryPassesPerMonth: number;
  /** Incidents per check per month; each is one trigger and one resolve notification. */
  readonly incidentsPerCheck: number;
  /** Write units per result: the history item (<= 1 KB) and the state item (1-2 KB). */
  readonly historyWriteUnits: number;
  readonly stateWriteUnits: number;
  readonly historyItemKb: number;
  readonly logKbPerInvocation: number;
  readonly logKbPerCheckRun: number;
  /**
   * The construct's `checkMetrics`: `per-suite` (its default) logs each check's status in a
   * `check result` line; `per-check` also emits a CheckStatus custom metric per check.
   */
  readonly checkMetrics: 'per-suite' | 'per-check';
  /** The `check result` log line per result (per-suite metrics' status source). */
  readonly logKbPerCheckResultLine: number;
  /** The suite watchdog: hourly, one look at every suite's record and its alert state. */
  readonly watchdogRunsPerMonth: number;
  readonly watchdogMemoryMb: number;
  readonly watchdogInvokeMs: number;
  /** The runner's timeout, which decides which suites are sharded (lib/shard/plan-shards.ts). */
  readonly runnerTimeoutMs: number;
  /**
   * State transitions of one sharded run besides its shards: execution start, the map, the
   * aggregation task, the choice and the succeed state.
   */
  readonly transitionsPerShardedRun: number;
  /** Per shard: its child execution's start and its one task (no retries). */
  readonly transitionsPerShard: number;
  /** The aggregation step's recording and alerting time per check (one conditional write each). */
  readonly aggregateMsPerCheck: number;
  /** Gzipped size of one stored shard result (lib/store/dynamodb-shard-results.ts). */
  readonly shardResultBytesPerCheck: number;
  /** Where the durations came from. */
  readonly durationSource: string;
}

export const defaultAssumptions: Assumptions = {
  runnerMemoryMb: 512,
  invokeOverheadMs: 2000,
  checkWaveMs: 1000,
  deliveryPassMs: 300,
  deliveryPassesPerMonth: Math.round((730 * 60) / 5),
  incidentsPerCheck: 1,
  historyWriteUnits: 1,
  stateWriteUnits: 2,
  historyItemKb: 1,
  logKbPerInvocation: 3,
  logKbPerCheckRun: 1,
  checkMetrics: 'per-suite',
  logKbPerCheckResultLine: 0.3,
  watchdogRunsPerMonth: 730,
  watchdogMemoryMb: 256,
  watchdogInvokeMs: 1500,
  runnerTimeoutMs: 300_000,
  transitionsPerShardedRun: 5,
  transitionsPerShard: 2,
  aggregateMsPerCheck: 1,
  shardResultBytesPerCheck: 150,
  durationSource: 'assumed (no bench/results/lambda-cold-start.json)',
};

const minuteMs = 60_000;
const referenceYear = 2027;

/**
 * Average runs per month of a schedule, counted over a whole year in its time zone (so month
 * lengths and `SAT#1`-style rules average out). Zone conversion is done once per quarter hour:
 * every offset in use is a multiple of 15 minutes.
 */
const runsCache = new Map<string, number>();

export function runsPerMonth(expression: string, timeZone: string, year = referenceYear): number {
  const key = `${expression}|${timeZone}|${year}`;
  let runs = runsCache.get(key);
  if (runs === undefined) {
    runs = countRunsPerMonth(expression, timeZone, year);
    runsCache.set(key, runs);
  }
  return runs;
}

function countRunsPerMonth(expression: string, timeZone: string, year: number): number {
  const parsed = parseScheduleExpression(expression);
  const from = Date.UTC(year, 0, 1);
  const to = Date.UTC(year + 1, 0, 1);
  if (parsed.kind === 'rate') return (to - from) / minuteMs / parsed.minutes / 12;
  if (parsed.kind === 'at') {
    const at = zonedYear(parsed.at);
    return at === year ? 1 / 12 : 0;
  }
  // The calendar year in the config's zone: scan a margin around the UTC year, keep local matches.
  const margin = 15 * 60 * minuteMs;
  let count = 0;
  const block = 15 * minuteMs;
  for (let t = from - margin; t < to + margin; t += block) {
    const base = zonedParts(new Date(t), timeZone);
    for (let k = 0; k < 15; k++) {
      const minute = base.minute + k;
      const parts =
        minute < 60 ? { ...base, minute } : zonedParts(new Date(t + k * minuteMs), timeZone);
      if (parts.year === year && parsed.cron.matches(parts)) count++;
    }
  }
  return count / 12;
}

function zonedYear(at: string): number {
  return Number(at.slice(0, 4));
}

export interface CostLine {
  readonly service: string;
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly listUsd: number;
  /** After the always-free allowance (the list price when the line has none). */
  readonly afterFreeUsd: number;
}

export interface SuiteFacts {
  readonly id: string;
  readonly schedule: string;
  readonly runsPerMonth: number;
  readonly checks: number;
  /** 1: one runner invocation a run; more: a state machine execution over this many shards. */
  readonly shards: number;
  /** Billed runner time of one run, all its invocations together. */
  readonly billedMs: number;
}

export interface CostEstimate {
  readonly region: string;
  readonly suites: SuiteFacts[];
  readonly lines: CostLine[];
  readonly totalListUsd: number;
  readonly totalAfterFreeUsd: number;
  readonly assumptions: Assumptions;
}

function line(
  service: string,
  item: string,
  quantity: number,
  unit: string,
  unitPrice: number,
  free = 0,
): CostLine {
  return {
    service,
    item,
    quantity,
    unit,
    listUsd: quantity * unitPrice,
    afterFreeUsd: Math.max(0, quantity - free) * unitPrice,
  };
}

export function estimateMonthlyCost(
  config: Config,
  assumptions: Assumptions = defaultAssumptions,
  prices: PriceList = usEast1Prices,
): CostEstimate {
  const checksById = new Map(config.checks.map((c) => [c.id, c]));
  const concurrency = config.defaults.concurrency;
  const plans = suiteShardPlans(config, assumptions.runnerTimeoutMs);
  const suites: SuiteFacts[] = config.suites.map((suite) => {
    const shards = plans.get(suite.id)?.shardCount ?? 1;
    const run = (checks: number) =>
      assumptions.invokeOverheadMs + Math.ceil(checks / concurrency) * assumptions.checkWaveMs;
    // Sharded: every shard is an invocation of its own, then one aggregation invocation.
    const billedMs =
      shards === 1
        ? run(suite.checks.length)
        : shards * run(Math.ceil(suite.checks.length / shards)) +
          assumptions.invokeOverheadMs +
          suite.checks.length * assumptions.aggregateMsPerCheck;
    return {
      id: suite.id,
      schedule: suite.schedule,
      runsPerMonth: runsPerMonth(suite.schedule, config.timezone),
      checks: suite.checks.length,
      shards,
      billedMs: Math.ceil(billedMs),
    };
  });
  const invocations = suites.reduce(
    (n, s) => n + s.runsPerMonth * (s.shards === 1 ? 1 : s.shards + 1),
    0,
  );
  const scheduledRuns = suites.reduce((n, s) => n + s.runsPerMonth, 0);
  const sharded = suites.filter((s) => s.shards > 1);
  const transitions = sharded.reduce(
    (n, s) =>
      n +
      s.runsPerMonth *
        (assumptions.transitionsPerShardedRun + s.shards * assumptions.transitionsPerShard),
    0,
  );
  // Each shard writes its results once a run (1 WRU per KB) and the aggregation reads them
  // (strongly consistent: 1 RRU per 4 KB).
  const shardResultKb = sharded.reduce(
    (n, s) => n + (s.runsPerMonth * s.checks * assumptions.shardResultBytesPerCheck) / 1024,
    0,
  );
  const checkRuns = suites.reduce((n, s) => n + s.runsPerMonth * s.checks, 0);
  const runnerGbSeconds = suites.reduce(
    (n, s) => n + s.runsPerMonth * (s.billedMs / 1000) * (assumptions.runnerMemoryMb / 1024),
    0,
  );

  // Alerts: every check that some suite runs has `incidentsPerCheck` incidents a month.
  const scheduledChecks = [...new Set(config.suites.flatMap((s) => s.checks))];
  const notifications = scheduledChecks.length * assumptions.incidentsPerCheck * 2;
  const pagerduty = config.notifications.pagerduty;
  const pagedChecks = pagerduty
    ? scheduledChecks.filter((id) => {
        const severity = checksById.get(id)?.severity;
        return severity !== undefined && pagerduty.severities.includes(severity);
      }).length
    : 0;
  const pages = pagedChecks * assumptions.incidentsPerCheck * 2;
  const emails = notifications * config.notifications.email.length;
  // The runner pages PagerDuty itself (inside runs); delivery passes retry what still waits.
  const passes = assumptions.deliveryPassesPerMonth;
  const deliveryGbSeconds =
    passes * (assumptions.deliveryPassMs / 1000) * (assumptions.runnerMemoryMb / 1024);
  // The watchdog: each run reads every suite's record and each watchdog check's STATE, and writes
  // that STATE and a history item (lib/watchdog/watch-suites.ts).
  const watchdogRuns = assumptions.watchdogRunsPerMonth;
  const watchdogGbSeconds =
    watchdogRuns * (assumptions.watchdogInvokeMs / 1000) * (assumptions.watchdogMemoryMb / 1024);
  const watchdogResults = watchdogRuns * config.suites.length;

  // Metrics the runner emits (Powertools adds `service` to each, the stack a `stage`): 3 per
  // suite and check type, 1 per suite, Powertools' ColdStart, and with per-check metrics 1 per
  // check. CloudWatch bills a custom metric by the hours it receives data, so a metric only a
  // daily suite emits costs ~30/730 of a full metric-month.
  const hoursPerMonth = 730;
  const hoursOf = (suiteIds: Iterable<string>) => {
    let hours = 0;
    for (const id of new Set(suiteIds)) hours += suites.find((s) => s.id === id)?.runsPerMonth ?? 0;
    return Math.min(hoursPerMonth, hours);
  };
  const suitesRunning = (checkIds: (id: string) => boolean) =>
    config.suites.filter((suite) => suite.checks.some(checkIds)).map((suite) => suite.id);
  const suiteTypeHours = config.suites.flatMap((suite) => {
    const suiteTypes = new Set(suite.checks.map((id) => checksById.get(id)?.type ?? ''));
    const hours = hoursOf([suite.id]);
    return [...suiteTypes].flatMap(() => [hours, hours, hours]);
  });
  const perCheckHours = scheduledChecks.map((check) =>
    hoursOf(suitesRunning((id) => id === check)),
  );
  const metricHours = [
    ...suiteTypeHours,
    ...(assumptions.checkMetrics === 'per-check' ? perCheckHours : []),
    ...config.suites.map((suite) => hoursOf([suite.id])),
    hoursOf(config.suites.map((suite) => suite.id)),
  ];
  const metrics = metricHours.length;
  const metricMonths = metricHours.reduce((a, b) => a + b, 0) / hoursPerMonth;
  // Checker alarms in lib/infra/checker-alarms.ts: 5 fixed and 2 on the watchdog; "notifications
  // refused" per delivery channel (lib/infra/delivery-schedule.ts): SNS, EventBridge, PagerDuty.
  // A sharded stack adds two (lib/infra/sharded-run-alarms.ts).
  const alarms = 5 + 2 + 2 + (pagerduty ? 1 : 0) + (sharded.length > 0 ? 2 : 0);

  const secrets = new Set(secretIds(config));
  // Each run is a fresh container, so each secret its checks use is fetched once per run.
  const secretCalls =
    config.suites.reduce((n, suite, i) => {
      const ids = new Set(suite.checks.flatMap((id) => secretIds(checksById.get(id))));
      return n + ids.size * (suites[i]?.runsPerMonth ?? 0);
    }, 0) + pages;

  const storageGb =
    ((checkRuns + watchdogResults) *
      (config.defaults.retentionDays / 30.4) *
      assumptions.historyItemKb) /
    1024 ** 2;
  // A quiet delivery pass logs only Lambda's START/END/REPORT lines (~0.3 KB).
  const logsGb =
    ((invocations + watchdogRuns) * assumptions.logKbPerInvocation +
      passes * 0.3 +
      checkRuns * (assumptions.logKbPerCheckRun + assumptions.logKbPerCheckResultLine) +
      // The state machine logs every event (level ALL, no execution data): ~0.5 KB each.
      transitions * 0.5) /
    1024 ** 2;

  const p = prices;
  const f = alwaysFree;
  const lines: CostLine[] = [
    line(
      'EventBridge Scheduler',
      'invocations (suite runs + delivery passes + watchdog)',
      scheduledRuns + passes + watchdogRuns,
      'invocations',
      p.schedulerPerInvocation,
      f.schedulerInvocations,
    ),
    line(
      'Lambda',
      'requests (suite runs and shards + delivery passes + watchdog)',
      invocations + passes + watchdogRuns,
      'requests',
      p.lambdaPerRequest,
      f.lambdaRequests,
    ),
    line(
      'Lambda',
      `compute (runner ${assumptions.runnerMemoryMb} MB, arm64)`,
      runnerGbSeconds + deliveryGbSeconds + watchdogGbSeconds,
      'GB-s',
      p.lambdaArmPerGbSecond,
      f.lambdaGbSeconds,
    ),
    line(
      'DynamoDB',
      'writes (history + state per result, suite records)',
      (checkRuns + watchdogResults) *
        (assumptions.historyWriteUnits + assumptions.stateWriteUnits) +
        notifications +
        scheduledRuns +
        shardResultKb,
      'WRU',
      p.dynamoPerWriteUnit,
    ),
    line(
      'DynamoDB',
      'reads (state, strongly consistent; every check once per delivery pass)',
      checkRuns +
        notifications +
        passes * checksById.size +
        watchdogResults * 2 +
        shardResultKb / 4 +
        // A shard reads its checks' states for their previous results; the aggregation again.
        sharded.reduce((n, s) => n + s.runsPerMonth * s.checks, 0),
      'RRU',
      p.dynamoPerReadUnit,
    ),
    line(
      'DynamoDB',
      `storage (${config.defaults.retentionDays} days of history)`,
      storageGb,
      'GB-month',
      p.dynamoStoragePerGbMonth,
      f.dynamoStorageGb,
    ),
    line(
      'SNS',
      'publishes (trigger + resolve)',
      notifications,
      'publishes',
      p.snsPerPublish,
      f.snsPublishes,
    ),
    line('SNS', 'email deliveries', emails, 'emails', p.snsPerEmail, f.snsEmails),
    line('EventBridge', 'state-change events', notifications, 'events', p.eventBridgePerEvent),
    line(
      'CloudWatch',
      `custom metrics (${metrics} series, EMF)`,
      metricMonths,
      'metric-months',
      p.cloudWatchPerMetric,
      f.cloudWatchMetrics,
    ),
    line(
      'CloudWatch',
      'alarms (standard)',
      alarms,
      'alarms',
      p.cloudWatchPerAlarm,
      f.cloudWatchAlarms,
    ),
    line(
      'CloudWatch',
      'dashboard',
      1,
      'dashboards',
      p.cloudWatchPerDashboard,
      f.cloudWatchDashboards,
    ),
    line('CloudWatch Logs', 'ingestion', logsGb, 'GB', p.logsPerGbIngested, f.logsGb),
    line(
      'X-Ray',
      'traces (active tracing)',
      invocations + passes + watchdogRuns,
      'traces',
      p.xrayPerTrace,
      f.xrayTraces,
    ),
    line(
      'Step Functions',
      `state transitions (${sharded.length} sharded suites: ${sharded.map((x) => `${x.id} x${x.shards}`).join(', ') || 'none'})`,
      transitions,
      'transitions',
      p.stepFunctionsPerTransition,
      f.stepFunctionsTransitions,
    ),
    line('Secrets Manager', 'secrets', secrets.size, 'secrets', p.secretPerMonth),
    line('Secrets Manager', 'GetSecretValue calls', secretCalls, 'calls', p.secretsPerApiCall),
    line('KMS', 'key (SNS/SQS encryption)', 1, 'keys', p.kmsKeyPerMonth),
    line(
      'KMS',
      'requests (encrypted publishes)',
      notifications,
      'requests',
      p.kmsPerRequest,
      f.kmsRequests,
    ),
  ];
  const sum = (pick: (l: CostLine) => number) => lines.reduce((n, l) => n + pick(l), 0);
  return {
    region: prices.region,
    suites,
    lines,
    totalListUsd: sum((l) => l.listUsd),
    totalAfterFreeUsd: sum((l) => l.afterFreeUsd),
    assumptions,
  };
}

function usd(value: number): string {
  if (value === 0) return '$0';
  if (value < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(2)}`;
}

function quantity(value: number): string {
  return value >= 100 ? String(Math.round(value)) : String(round(value, 2));
}

export function estimateTables(estimate: CostEstimate, source: string): BenchTable[] {
  return [
    {
      title: `Suites (${source})`,
      columns: ['suite', 'schedule', 'runs/month', 'checks', 'shards', 'billed ms/run'],
      rows: estimate.suites.map((s) => [
        s.id,
        s.schedule,
        round(s.runsPerMonth, 2),
        s.checks,
        s.shards,
        s.billedMs,
      ]),
    },
    {
      title: `Monthly cost, ${estimate.region} on-demand list prices (USD)`,
      columns: ['service', 'item', 'quantity', 'unit', 'list', 'after free tier'],
      rows: [
        ...estimate.lines.map((l) => [
          l.service,
          l.item,
          quantity(l.quantity),
          l.unit,
          usd(l.listUsd),
          usd(l.afterFreeUsd),
        ]),
        ['total', '', '', '', usd(estimate.totalListUsd), usd(estimate.totalAfterFreeUsd)],
      ],
    },
  ];
}

export function estimateNotes(estimate: CostEstimate): string[] {
  const a = estimate.assumptions;
  return [
    `durations: ${a.durationSource}; billed per run = ${a.invokeOverheadMs} ms (INIT + handler) + ${a.checkWaveMs} ms per wave of concurrent checks; every scheduled run is taken as a cold start (runs are minutes to hours apart)`,
    `alerts: ${a.incidentsPerCheck} incident per check per month (trigger + resolve), each published to SNS and EventBridge, emailed to every address, and paged by the runner for the paging severities; plus ${a.deliveryPassesPerMonth} delivery passes (${a.deliveryPassMs} ms each) that retry what a channel did not take`,
    `DynamoDB: ${a.historyWriteUnits} + ${a.stateWriteUnits} write units and 1 strongly consistent read per result, plus one write and read per notification; history items ~${a.historyItemKb} KB`,
    `custom metrics (${a.checkMetrics}) are billed by the hours they receive data: a series only a daily suite emits counts ~30 of 730 hours (one run per hour assumed); per-check metrics add one series per check (--check-metrics per-check prices them)`,
    `sharding (runner timeout ${a.runnerTimeoutMs / 1000} s): a suite whose worst case does not fit runs as a Step Functions execution, ${a.transitionsPerShardedRun} transitions + ${a.transitionsPerShard} per shard, one invocation per shard + one aggregation (${a.aggregateMsPerCheck} ms per check), ~${a.shardResultBytesPerCheck} B of stored results per check; retries would add transitions and invocations`,
    `watchdog: ${a.watchdogRunsPerMonth} runs a month (${a.watchdogMemoryMb} MB, ${a.watchdogInvokeMs} ms), each reading every suite's record and writing one result per suite`,
    `logs: ~${a.logKbPerInvocation} KB per invocation + ${a.logKbPerCheckRun} KB per check result + ${a.logKbPerCheckResultLine} KB for its status line; SQS dead-letter queues and the schedule DLQ cost nothing while empty`,
    'not included: a NAT gateway or VPC endpoints when the runner is placed in a VPC (a NAT gateway alone is about $33/month plus data; with vpcEndpoints, each interface endpoint is about $7.30 a month per AZ: 4 (5 with EKS) in 2 AZs is $58-73, the DynamoDB and S3 gateway endpoints are free), data transfer, and the targets themselves',
  ];
}

export function renderEstimate(estimate: CostEstimate, source: string): string {
  const tables = estimateTables(estimate, source).map(renderTable).join('\n\n');
  return `${tables}\n\n${estimateNotes(estimate)
    .map((n) => `note: ${n}`)
    .join('\n')}\n`;
}

/** The runbooks' schedules (bench/fixtures/seed-schedules.yaml): daily, evening, weekly, monthly. */
export const runbookSchedules = [
  ['morning', 'cron(0 8 * * ? *)'],
  ['evening', 'cron(0 17 * * ? *)'],
  ['weekly', 'cron(0 9 ? * MON *)'],
  ['monthly', 'cron(0 2 ? * SAT#1 *)'],
] as const;

/**
 * A fleet of `checks` HTTP checks (one host each, default 20 s timeout) that every runbook
 * schedule runs: the large-suite case the cost of sharding is quoted for.
 */
export function fleetConfig(checks: number): Config {
  const ids = Array.from({ length: checks }, (_, i) => `svc-${i}`);
  return parseConfigText(
    JSON.stringify({
      timezone: 'Asia/Ho_Chi_Minh',
      suites: runbookSchedules.map(([id, schedule]) => ({ id, schedule, checks: ids })),
      checks: ids.map((id) => ({ id, type: 'http', url: `https://${id}.internal.example/health` })),
      notifications: { email: ['oncall@example.vn'] },
    }),
    { env: {} },
  );
}

const exampleConfig = fileURLToPath(new URL('../examples/healthchecks.yaml', import.meta.url));
const fixtureConfig = fileURLToPath(new URL('./fixtures/seed-schedules.yaml', import.meta.url));
const coldStartResults = fileURLToPath(
  new URL('./results/lambda-cold-start.json', import.meta.url),
);

/** The example config when it exists, else the seed-schedule fixture. */
export function defaultCostConfig(): string {
  return existsSync(exampleConfig) ? exampleConfig : fixtureConfig;
}

/** Runner durations measured by the cold-start bench, when it has run. */
export function measuredAssumptions(base: Assumptions = defaultAssumptions): Assumptions {
  if (!existsSync(coldStartResults)) return base;
  try {
    const results = JSON.parse(readFileSync(coldStartResults, 'utf8')) as {
      data?: { bundles?: Record<string, { probes?: { importMs: number; invokeMs?: number }[] }> };
    };
    const probes = results.data?.bundles?.['runner']?.probes ?? [];
    if (probes.length === 0) return base;
    const sorted = probes.map((p) => p.importMs + (p.invokeMs ?? 0)).sort((a, b) => a - b);
    const medianMs = sorted[Math.floor(sorted.length / 2)] ?? base.invokeOverheadMs;
    // Lambda at 512 MB has ~0.3 of the vCPU the bench had: scale the CPU-bound INIT by 3.
    return {
      ...base,
      invokeOverheadMs: Math.ceil(medianMs * 3),
      durationSource: `measured runner import + first invoke (median ${Math.round(medianMs)} ms, bench/results/lambda-cold-start.json) x3 for Lambda's smaller CPU share`,
    };
  } catch {
    return base;
  }
}

export async function runCostModelSection(_context: BenchContext): Promise<SectionResult> {
  const result = emptySection('cost-model', 'Cost model: monthly AWS cost of the example config');
  const configPath = defaultCostConfig();
  const config = await loadConfigFile(configPath, { env: false });
  const estimate = estimateMonthlyCost(config, measuredAssumptions());
  const source = configPath.replace(fileURLToPath(new URL('..', import.meta.url)), '');
  result.tables.push(...estimateTables(estimate, source));
  result.notes.push(...estimateNotes(estimate));
  result.data['config'] = source;
  result.data['estimate'] = estimate;
  // The same stack for a 5,000-check suite at the runbooks' schedules: sharded.
  const fleet = estimateMonthlyCost(fleetConfig(5000), measuredAssumptions());
  result.tables.push(...estimateTables(fleet, '5,000 checks at the runbook schedules'));
  result.data['fleet5000'] = fleet;
  return result;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      fleet: { type: 'string' },
      'memory-mb': { type: 'string' },
      'invoke-ms': { type: 'string' },
      'check-wave-ms': { type: 'string' },
      'incidents-per-check': { type: 'string' },
      'check-metrics': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const fleet = values.fleet === undefined ? undefined : Number(values.fleet);
  const configPath = fleet
    ? `${fleet} HTTP checks at the runbook schedules`
    : (values.config ?? defaultCostConfig());
  const config = fleet ? fleetConfig(fleet) : await loadConfigFile(configPath, { env: false });
  const base = measuredAssumptions();
  const number = (text: string | undefined, fallback: number) =>
    text === undefined ? fallback : Number(text);
  const assumptions: Assumptions = {
    ...base,
    runnerMemoryMb: number(values['memory-mb'], base.runnerMemoryMb),
    invokeOverheadMs: number(values['invoke-ms'], base.invokeOverheadMs),
    checkWaveMs: number(values['check-wave-ms'], base.checkWaveMs),
    incidentsPerCheck: number(values['incidents-per-check'], base.incidentsPerCheck),
    checkMetrics: values['check-metrics'] === 'per-check' ? 'per-check' : base.checkMetrics,
    ...(values['invoke-ms'] ? { durationSource: 'given with --invoke-ms' } : {}),
  };
  const estimate = estimateMonthlyCost(config, assumptions);
  process.stdout.write(
    values.json ? `${JSON.stringify(estimate, null, 2)}\n` : renderEstimate(estimate, configPath),
  );
}
