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
import { dimensionNames, metricNames, metricNamespace } from './telemetry-names.ts';

export interface HealthDashboardProps {
  readonly dashboardName?: string;
  readonly runner: IFunction;
  readonly runnerLogs: ILogGroup;
  readonly alarms: readonly IAlarm[];
}

/** One line per dimension value (each check, each type) without listing them in the template. */
function search(metric: string, dimension: string, statistic: string, label: string) {
  return new MathExpression({
    expression: `SEARCH('{${metricNamespace},service,${dimension}} MetricName="${metric}"', '${statistic}', 3600)`,
    label,
    period: Duration.hours(1),
  });
}

/** Status per check, failures over time, durations, last run per suite, and the alarms. */
export function createHealthDashboard(scope: Construct, props: HealthDashboardProps): Dashboard {
  const dashboard = new Dashboard(scope, 'Dashboard', {
    ...(props.dashboardName ? { dashboardName: props.dashboardName } : {}),
    defaultInterval: Duration.days(7),
  });
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Status per check (0 ok, 1 warning, 2 critical, 3 unknown)',
      left: [search(metricNames.checkStatus, dimensionNames.check, 'Maximum', '')],
      leftYAxis: { min: 0, max: 3 },
      width: 12,
    }),
    new GraphWidget({
      title: 'Failed checks by type',
      left: [search(metricNames.checksFailed, dimensionNames.checkType, 'Sum', '')],
      right: [search(metricNames.checksRun, dimensionNames.checkType, 'Sum', '')],
      stacked: true,
      width: 12,
    }),
  );
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Check duration by type (ms, p90)',
      left: [search(metricNames.checkDuration, dimensionNames.checkType, 'p90', '')],
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
    new LogQueryWidget({
      title: 'Last run per suite',
      logGroupNames: [props.runnerLogs.logGroupName],
      view: LogQueryVisualizationType.TABLE,
      queryLines: [
        'fields @timestamp, suite, status, failed, checks',
        `filter message = "${suiteCompletedLogMessage}"`,
        'stats latest(@timestamp) as lastRun, latest(status) as lastStatus, latest(failed) as failedChecks by suite',
        'sort suite asc',
      ],
      width: 12,
    }),
    new AlarmStatusWidget({ title: 'Checker alarms', alarms: [...props.alarms], width: 12 }),
  );
  return dashboard;
}
