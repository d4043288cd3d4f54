import { resolve } from 'node:path';
import { type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Config } from '../config/load-config.ts';
import { routingKeySecretEnv } from '../notify/pagerduty/index.ts';
import { deployedChannels, notifierSecretIds } from '../notify/registry.ts';
import { statusPageEnvironment } from '../report/status-page-names.ts';
import { createAlertTopic } from './alert-topic.ts';
import {
  awsS3Buckets,
  checkSecretIds,
  eksClusters,
  needsKubernetesClient,
  type SuitePlan,
  suitePlans,
  unusedPackages,
} from './config-facts.ts';
import { NotificationDelivery } from './delivery-schedule.ts';
import { createEncryptionKey } from './encryption-key.ts';
import { createFailureQueue } from './failure-queue.ts';
import type { HealthCheckerProps } from './health-checker-props.ts';
import { createHealthDashboard } from './health-dashboard.ts';
import {
  acknowledge,
  backupObjectsRead,
  kmsGrantActions,
  queueIsADeadLetterQueue,
  schedulerInvokeVersions,
  xrayNeedsWildcard,
} from './nag-acknowledgements.ts';
import { createResultsTable } from './results-table.ts';
import {
  createRunnerFunction,
  defaultRunnerTimeout,
  eksDescribeStatement,
  s3ReadStatements,
  secretReadStatement,
} from './runner-function.ts';
import { StatusPageBucket } from './status-page-bucket.ts';
import { SuiteSchedules } from './suite-schedules.ts';
import { readSynthConfig } from './synth-config.ts';
import { runnerEnvironment } from './telemetry-names.ts';
import { WatchdogAlarms } from './watchdog-alarms.ts';

/**
 * Everything the health checker needs on AWS, from the same YAML config the CLI reads:
 * schedules per suite, the runner, the results table, the alert topic with email and PagerDuty,
 * the state-change event bus, alarms on the checker itself and a dashboard.
 *
 * Throws `ConfigError` (with field paths) when the config is invalid.
 */
export class HealthChecker extends Construct {
  readonly config: Config;
  readonly suites: readonly SuitePlan[];
  /** AWS S3 buckets the checks read (backup checks without a custom endpoint). */
  readonly backupBuckets: readonly string[];
  readonly key: Key;
  readonly table: Table;
  readonly topic: Topic;
  readonly eventBus: EventBus;
  readonly runner: NodejsFunction;
  readonly runnerRole: Role;
  /** The delivery-pass schedule and the "notifications refused" alarms. */
  readonly delivery: NotificationDelivery;
  readonly schedules: SuiteSchedules;
  readonly scheduleDeadLetterQueue: Queue;
  readonly failureQueue: Queue;
  readonly alarms: WatchdogAlarms;
  readonly dashboard: Dashboard;
  /** Where the runner publishes the status page; undefined when `statusPage.enabled` is false. */
  readonly statusPage?: StatusPageBucket;

  constructor(scope: Construct, id: string, props: HealthCheckerProps) {
    super(scope, id);
    const configFile = resolve(props.configFile);
    this.config = readSynthConfig(configFile).config;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.logRetention ?? RetentionDays.THREE_MONTHS;
    const runnerTimeout = props.runnerTimeout ?? defaultRunnerTimeout;
    this.suites = suitePlans(this.config, props.periodReferenceTime);

    this.key = createEncryptionKey(this, removalPolicy);
    this.table = createResultsTable(this, this.key, removalPolicy);
    this.topic = createAlertTopic(this, this.key, this.config.notifications.email);
    this.eventBus = new EventBus(this, 'EventBus', {
      description: 'Health check state changes (detail-type "Health Check State Changed")',
    });
    this.scheduleDeadLetterQueue = createFailureQueue(this, 'ScheduleDeadLetterQueue');
    this.failureQueue = createFailureQueue(this, 'FunctionFailureQueue');
    const page = props.statusPage ?? {};
    if (page.enabled ?? true) {
      this.statusPage = new StatusPageBucket(this, 'StatusPage', {
        cloudFront: page.cloudFront ?? false,
        ...(page.webAclId ? { webAclId: page.webAclId } : {}),
        removalPolicy,
        acknowledgeNagFindings: props.acknowledgeNagFindings ?? true,
      });
    }

    const runner = createRunnerFunction(this, {
      configFile,
      kubernetesClient: props.bundleKubernetesClient ?? needsKubernetesClient(this.config),
      omitPackages: unusedPackages(this.config),
      timeout: runnerTimeout,
      memorySize: props.runnerMemorySize ?? 512,
      logRetention,
      failureQueue: this.failureQueue,
      ...(props.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrency: props.reservedConcurrency }),
      ...(props.vpcPlacement ? { vpcPlacement: props.vpcPlacement } : {}),
      environment: {
        [runnerEnvironment.tableName]: this.table.tableName,
        [runnerEnvironment.topicArn]: this.topic.topicArn,
        [runnerEnvironment.eventBusName]: this.eventBus.eventBusName,
        ...(this.statusPage
          ? { [statusPageEnvironment.bucket]: this.statusPage.bucket.bucketName }
          : {}),
        ...(page.title ? { [statusPageEnvironment.title]: page.title } : {}),
        ...(props.pagerDutyRoutingKeySecret
          ? { [routingKeySecretEnv]: props.pagerDutyRoutingKeySecret }
          : {}),
      },
    });
    this.runner = runner.fn;
    this.runnerRole = runner.role;
    this.table.grantReadWriteData(runner.role);
    this.eventBus.grantPutEventsTo(runner.role);
    this.topic.grantPublish(runner.role);
    this.statusPage?.grantPublish(runner.role);
    // Checks' secrets and the notifiers' (the PagerDuty routing key: the runner pages directly).
    const secrets = [
      ...new Set([
        ...checkSecretIds(this.config),
        ...notifierSecretIds(this.config.notifications),
        ...(props.pagerDutyRoutingKeySecret ? [props.pagerDutyRoutingKeySecret] : []),
      ]),
    ];
    if (secrets.length > 0) runner.role.addToPrincipalPolicy(secretReadStatement(this, secrets));
    const clusters = eksClusters(this.config);
    if (clusters.length > 0) runner.role.addToPrincipalPolicy(eksDescribeStatement(this, clusters));
    const buckets = awsS3Buckets(this.config);
    this.backupBuckets = buckets;
    for (const statement of buckets.length > 0 ? s3ReadStatements(buckets) : []) {
      runner.role.addToPrincipalPolicy(statement);
    }

    this.delivery = new NotificationDelivery(this, 'Delivery', {
      runner: this.runner,
      topic: this.topic,
      channels: deployedChannels(this.config.notifications),
      deadLetterQueue: this.scheduleDeadLetterQueue,
      enabled: props.schedulesEnabled ?? true,
    });

    this.schedules = new SuiteSchedules(this, 'Schedules', {
      suites: this.suites,
      timezone: this.config.timezone,
      runner: this.runner,
      deadLetterQueue: this.scheduleDeadLetterQueue,
      retryAttempts: props.scheduleRetryAttempts ?? 2,
      maxEventAge: props.scheduleMaxEventAge ?? Duration.hours(1),
      enabled: props.schedulesEnabled ?? true,
    });

    this.alarms = new WatchdogAlarms(this, 'Alarms', {
      topic: this.topic,
      runner: this.runner,
      runnerTimeout,
      scheduleDeadLetterQueue: this.scheduleDeadLetterQueue,
      failureQueue: this.failureQueue,
      suites: this.suites,
      missedRunGrace: props.missedRunGrace ?? Duration.hours(1),
    });
    this.dashboard = createHealthDashboard(this, {
      ...(props.dashboardName ? { dashboardName: props.dashboardName } : {}),
      runner: this.runner,
      runnerLogs: runner.logGroup,
      alarms: [...this.alarms.alarms, ...this.delivery.refusedAlarms],
    });
    if (props.acknowledgeNagFindings ?? true) this.acknowledgeNagFindings();
  }

  private acknowledgeNagFindings(): void {
    acknowledge(this.scheduleDeadLetterQueue, queueIsADeadLetterQueue);
    acknowledge(this.failureQueue, queueIsADeadLetterQueue);
    acknowledge(
      this.runnerRole,
      xrayNeedsWildcard,
      ...kmsGrantActions,
      ...this.backupBuckets.map(backupObjectsRead),
    );
    const runnerLogicalId = Stack.of(this).getLogicalId(
      this.runner.node.defaultChild as CfnElement,
    );
    acknowledge(this.schedules.role, schedulerInvokeVersions(`<${runnerLogicalId}.Arn>`));
    acknowledge(this.delivery.role, schedulerInvokeVersions(`<${runnerLogicalId}.Arn>`));
  }
}
