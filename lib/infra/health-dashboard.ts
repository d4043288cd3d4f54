import { Duration } from 'aws-cdk-lib';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IAlarm,
  LogQueryVisualizationType,
  LogQueryWidget,
  MathExpression,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { suiteCompletedLogMessage } from './health-dashboard-names.ts';
import {
  checkResultLogMessage,
  dimensionNames,
  metricNames,
  metricNamespace,
} from './telemetry-names.ts';

export interface HealthDashboardProps {
  readonly dashboardName?: string;
  readonly stage: string;
  readonly runner: IFunction;
  readonly runnerLogs: ILogGroup;
  readonly alarms: readonly IAlarm[];
  /** Whether the runner emits a CheckStatus metric per check (else statuses come from its log). */
  readonly perCheckMetrics: boolean;
}

/**
 * One line per dimension value (each check, each type) without listing them in the template,
 * this stage's series only.
 */
function search(stage: string, metric: string, dimensions: readonly string[], statistic: string) {
  const schema = [metricNamespace, 'service', dimensionNames.stage, ...dimensions].join(',');
  return new MathExpression({
    expression: `SEARCH('{${schema}} MetricName="${metric}" ${dimensionNames.stage}="${stage}"', '${statistic}', 3600)`,
    label: '',
    period: Duration.hours(1),
  });
}

/** A Logs Insights table over the runner's log group. */
function logTable(logs: ILogGroup, title: string, queryLines: string[]): LogQueryWidget {
  return new LogQueryWidget({
    title,
    logGroupNames: [logs.logGroupName],
    view: LogQueryVisualizationType.TABLE,
    queryLines,
    width: 12,
  });
}

/** Status per check, failures over time, durations, last run per suite, and the alarms. */
export function createHealthDashboard(scope: Construct, props: HealthDashboardProps): Dashboard {
  const dashboard = new Dashboard(scope, 'Dashboard', {
    ...(props.dashboardName ? { dashboardName: props.dashboardName } : {}),
    defaultInterval: Duration.days(7),
  });
  const { stage } = props;
  const byType = [dimensionNames.suite, dimensionNames.checkType];
  dashboard.addWidgets(
    props.perCheckMetrics
      ? new GraphWidget({
          title: 'Status per check (0 ok, 1 warning, 2 critical, 3 unknown)',
          left: [search(stage, metricNames.checkStatus, [dimensionNames.check], 'Maximum')],
          leftYAxis: { min: 0, max: 3 },
          width: 12,
        })
      : logTable(props.runnerLogs, 'Status per check (latest run)', [
          'fields @timestamp, check, status, suite',
          `filter message = "${checkResultLogMessage}"`,
          'stats latest(status) as lastStatus, latest(@timestamp) as lastRun, latest(suite) as inSuite by check',
          'sort lastStatus desc, check asc',
        ]),
    new GraphWidget({
      title: 'Failed checks by suite and type',
      left: [search(stage, metricNames.checksFailed, byType, 'Sum')],
      right: [search(stage, metricNames.checksRun, byType, 'Sum')],
      stacked: true,
      width: 12,
    }),
  );
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Check duration by suite and type (ms, p90)',
      left: [search(stage, metricNames.checkDuration, byType, 'p90')],
      width: 12,
    }),
    new GraphWidget({
      title: 'Runner invocations, errors, duration',
      left: [props.runner.metricInvocations(), props.runner.metricErrors()],
      right: [props.runner.metricDuration({ statistic: 'Maximum' })],
      width: 12,
    }),
  );
  dashboard.addWidgets(
    logTable(props.runnerLogs, 'Last run per suite', [
      'fields @timestamp, suite, status, failed, checks',
      `filter message = "${suiteCompletedLogMessage}"`,
      'stats latest(@timestamp) as lastRun, latest(status) as lastStatus, latest(failed) as failedChecks by suite',
      'sort suite asc',
    ]),
    new AlarmStatusWidget({ title: 'Checker alarms', alarms: [...props.alarms], width: 12 }),
  );
  return dashboard;
}
