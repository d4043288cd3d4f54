import { type AlertingDeps, processRun } from '../alerting/process-run.ts';
import { type Severity, severities } from '../config/fields.ts';
import type { CheckConfig, Config } from '../config/load-config.ts';
import type { CheckResult } from '../core/result.ts';
import type { AlertNotice } from '../core/run-report.ts';
import { overdueRun } from '../schedule/overdue.ts';
import { formatDuration } from '../shared/format-duration.ts';
import type { SuiteRunRecord, SuiteRunStore } from './suite-run-store.ts';

/**
 * The suite watchdog's core: for every suite, is its run overdue (lib/schedule/overdue.ts,
 * against what the runner recorded), turned into one result per suite on a check of its own,
 * `watchdog:<suite>`, that goes through the same alert path as every check: the state machine
 * (trigger once, resolve once), the outbox, SNS/EventBridge and PagerDuty. No SDK here.
 */
export const watchdogCheckType = 'watchdog';

export function watchdogCheckId(suite: string): string {
  return `${watchdogCheckType}:${suite}`;
}

export interface WatchSuitesInput {
  readonly config: Config;
  readonly now: Date;
  /** How long after its scheduled time a run may still complete. */
  readonly allowanceMs: number;
  /** The Scheduler time of this watchdog run: a redelivered watchdog run alerts nothing twice. */
  readonly scheduledTime?: Date;
  readonly signal?: AbortSignal;
}

export interface WatchSuitesReport {
  readonly overdue: readonly string[];
  readonly results: readonly CheckResult[];
  readonly alerts: readonly AlertNotice[];
}

/** The most severe severity among a suite's checks: a suite that stops running hides all of them. */
function suiteSeverity(config: Config, checks: readonly string[]): Severity {
  const used = new Set(config.checks.filter((c) => checks.includes(c.id)).map((c) => c.severity));
  return severities.find((s) => used.has(s)) ?? config.defaults.severity;
}

function localTime(at: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
  return `${text} ${timeZone}`;
}

function suiteResult(
  config: Config,
  suite: Config['suites'][number],
  record: SuiteRunRecord | undefined,
  watchingSince: Date,
  input: WatchSuitesInput,
): CheckResult {
  const lastCompleted = record?.lastScheduledTime ? new Date(record.lastScheduledTime) : undefined;
  const verdict = overdueRun({
    expression: suite.schedule,
    timeZone: config.timezone,
    now: input.now,
    ...(lastCompleted ? { lastCompleted } : {}),
    watchingSince,
    allowanceMs: input.allowanceMs,
  });
  const last = lastCompleted
    ? `last completed run: ${localTime(lastCompleted, config.timezone)}`
    : `no completed run recorded since ${localTime(watchingSince, config.timezone)}`;
  const at = input.now.toISOString();
  const base = {
    check: watchdogCheckId(suite.id),
    type: watchdogCheckType,
    durationMs: 0,
    startedAt: at,
    finishedAt: at,
  };
  const details = {
    suite: suite.id,
    schedule: suite.schedule,
    timezone: config.timezone,
    checks: suite.checks,
    lastScheduledTime: record?.lastScheduledTime ?? null,
    lastCompletedAt: record?.lastCompletedAt ?? null,
    lastStatus: record?.lastStatus ?? null,
    watchingSince: watchingSince.toISOString(),
  };
  if (!verdict.overdue) {
    return {
      ...base,
      status: 'ok',
      summary: `suite ${suite.id} (${suite.schedule}) is on schedule; ${last}`,
      details,
    };
  }
  const late = formatDuration(input.now.getTime() - verdict.deadline.getTime());
  return {
    ...base,
    status: 'critical',
    summary:
      `suite ${suite.id} has not completed its run scheduled for ${localTime(verdict.missed, config.timezone)} ` +
      `(${suite.schedule}), ${late} past the latest it could finish; ${last}. ` +
      'Its checks are not being run: see the schedule DLQ, the runner errors and its logs',
    details: {
      ...details,
      missed: verdict.missed.toISOString(),
      deadline: verdict.deadline.toISOString(),
    },
  };
}

/** Runs the watchdog once: records when it first saw each suite, judges all, alerts changes. */
export async function watchSuites(
  input: WatchSuitesInput,
  alerting: AlertingDeps,
  suiteRuns: SuiteRunStore,
): Promise<WatchSuitesReport> {
  const { config, now } = input;
  const ids = config.suites.map((s) => s.id);
  const records = await suiteRuns.getSuiteRuns(ids, input.signal);
  const unseen = ids.filter((id) => !records.get(id)?.watchingSince);
  if (unseen.length > 0) await suiteRuns.watchSuites(unseen, now, input.signal);
  const results = config.suites.map((suite) => {
    const record = records.get(suite.id);
    const since = record?.watchingSince ? new Date(record.watchingSince) : now;
    return suiteResult(config, suite, record, since, input);
  });
  const checks: CheckConfig[] = config.suites.map((suite) => ({
    id: watchdogCheckId(suite.id),
    type: watchdogCheckType,
    name: `Suite ${suite.id} runs on schedule`,
    severity: suiteSeverity(config, suite.checks),
    timeoutSeconds: 60,
    failureThreshold: 1,
    successThreshold: 1,
  })) as CheckConfig[];
  const alerts = await processRun(
    {
      config,
      checks,
      suite: null,
      results,
      now,
      ...(input.signal ? { signal: input.signal } : {}),
    },
    { ...alerting, ...(input.scheduledTime ? { scheduledTime: input.scheduledTime } : {}) },
  );
  return {
    overdue: results.filter((r) => r.status !== 'ok').map((r) => r.check),
    results,
    alerts,
  };
}
