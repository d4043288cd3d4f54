import { resolve } from 'node:path';
import { Annotations, type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecurityGroup } from 'aws-cdk-lib/aws-ec2';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { packageUse } from '../checks/runtime-packages.ts';
import type { Config } from '../config/load-config.ts';
import { ConfigError } from '../core/errors.ts';
import { emailAddresses, emailRecipients } from '../notify/email/recipients.ts';
import { routingKeySecretEnv } from '../notify/pagerduty/index.ts';
import { deployedChannels, notifierSecretIds } from '../notify/registry.ts';
import { statusPageEnvironment } from '../report/status-page-names.ts';
import { parseScheduleExpression } from '../schedule/schedule-expression.ts';
import { createAlertTopic } from './alert-topic.ts';
import { CheckerAlarms } from './checker-alarms.ts';
import {
  checkSecretIds,
  eksGrants,
  iamGrants,
  needsKubernetesClient,
  type S3ReadGrant,
  s3ReadGrants,
  unusedPackages,
} from './config-facts.ts';
import { NotificationDelivery } from './delivery-schedule.ts';
import { clusterAccessPlans, EksAccessEntries } from './eks-access.ts';
import { createEncryptionKey } from './encryption-key.ts';
import { createFailureQueue } from './failure-queue.ts';
import type { HealthCheckerProps } from './health-checker-props.ts';
import { createHealthDashboard } from './health-dashboard.ts';
import {
  acknowledge,
  backupObjectsRead,
  distributedMapExecutions,
  queueIsADeadLetterQueue,
  schedulerInvokeVersions,
  stateMachineTelemetryWildcards,
  vpcInterfaceWildcards,
  xrayNeedsWildcard,
} from './nag-acknowledgements.ts';
import { createOpsTopic, opsTopicProblems, opsTopicWarnings } from './ops-topic.ts';
import { createResultsTable } from './results-table.ts';
import { createRunnerFunction, defaultRunnerTimeout } from './runner-function.ts';
import {
  eksDescribeStatement,
  iamGrantStatement,
  keyUseStatement,
  runnerTableActions,
  s3ReadStatements,
  secretReadStatement,
  secretsKeyStatement,
  tableStatement,
} from './runner-grants.ts';
import { suiteShardPlans } from './shard-plans.ts';
import { ShardedRunAlarms } from './sharded-run-alarms.ts';
import { ShardedSuiteRuns, shardMapLabel } from './sharded-suite-runs.ts';
import { StatusPageBucket } from './status-page-bucket.ts';
import { SuiteSchedules } from './suite-schedules.ts';
import { SuiteWatchdog } from './suite-watchdog.ts';
import { readSynthConfig } from './synth-config.ts';
import {
  inlineCredentialWarnings,
  internetEgressWarnings,
  routingKeyProblem,
  runnerEnvironmentProblems,
  runnerEnvironmentWarnings,
  type SynthWarning,
  timeoutWarnings,
} from './synth-findings.ts';
import { runnerEnvironment } from './telemetry-names.ts';
import { VpcEndpoints } from './vpc-endpoints.ts';

const defaultScheduleMaxEventAge = Duration.hours(1);

/**
 * Everything the health checker needs on AWS, from the same YAML config the CLI reads:
 * schedules per suite, the runner, the results table, the alert topic with email and PagerDuty,
 * the state-change event bus, the suite watchdog, alarms on the checker itself (to their own ops
 * topic, which can page) and a dashboard.
 *
 * Throws `ConfigError` (with field paths) when the config is invalid or cannot work on AWS.
 */
export class HealthChecker extends Construct {
  readonly config: Config;
  /** Names every metric dimension, alarm and PagerDuty dedup key of this deployment. */
  readonly stage: string;
  /** AWS S3 prefixes the checks read (backup checks without a custom endpoint). */
  readonly backupReads: readonly S3ReadGrant[];
  readonly key: Key;
  readonly table: Table;
  /** The alert topic: the runner's state changes, emailed to `notifications.email`. */
  readonly topic: Topic;
  /** The ops topic: the checker's own alarms and the watchdog's missed runs (ops-topic.ts). */
  readonly opsTopic: Topic;
  readonly eventBus: EventBus;
  readonly runner: NodejsFunction;
  readonly runnerRole: Role;
  /** The runner's security groups when it is in a VPC (targets must admit them). */
  readonly runnerSecurityGroups: readonly ISecurityGroup[];
  /** The delivery-pass schedule and the "notifications refused" alarms. */
  readonly delivery: NotificationDelivery;
  readonly watchdog: SuiteWatchdog;
  readonly schedules: SuiteSchedules;
  readonly scheduleDeadLetterQueue: Queue;
  readonly failureQueue: Queue;
  readonly alarms: CheckerAlarms;
  readonly dashboard: Dashboard;
  readonly vpcEndpoints?: VpcEndpoints;
  readonly eksAccess?: EksAccessEntries;
  /** Where the runner publishes the status page; undefined when `statusPage.enabled` is false. */
  readonly statusPage?: StatusPageBucket;
  /** Shards per suite (1: one runner invocation, as for every suite that fits). */
  readonly shardCounts: ReadonlyMap<string, number>;
  /** The state machine of sharded suites; undefined when every suite fits one invocation. */
  readonly shardedRuns?: ShardedSuiteRuns;
  readonly shardedRunAlarms?: ShardedRunAlarms;

  constructor(scope: Construct, id: string, props: HealthCheckerProps) {
    super(scope, id);
    const configFile = resolve(props.configFile);
    const environment = { ...(props.runnerEnvironment ?? {}) };
    const environmentProblems = runnerEnvironmentProblems(environment);
    if (environmentProblems.length > 0) throw new ConfigError(environmentProblems, 'cdk context');
    const { config, written } = readSynthConfig(configFile, environment);
    this.config = config;
    const routingKey = routingKeyProblem(written, props.pagerDutyRoutingKeySecret !== undefined);
    if (routingKey) throw new ConfigError([routingKey], configFile);
    const ops = {
      emails: props.opsEmails ?? emailAddresses(config.notifications.email),
      ...(props.opsPagerUrl === undefined ? {} : { pagerUrl: props.opsPagerUrl }),
    };
    const opsProblems = opsTopicProblems(ops);
    if (opsProblems.length > 0) throw new ConfigError(opsProblems, 'HealthChecker props');

    const stack = Stack.of(this);
    this.stage = props.stage ?? stack.stackName;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.logRetention ?? RetentionDays.THREE_MONTHS;
    const runnerTimeout = props.runnerTimeout ?? defaultRunnerTimeout;
    const maxEventAge = props.scheduleMaxEventAge ?? defaultScheduleMaxEventAge;
    this.warn([
      ...(props.vpcPlacement ? internetEgressWarnings(config.notifications) : []),
      ...inlineCredentialWarnings(written),
      ...runnerEnvironmentWarnings(environment),
      ...timeoutWarnings(config, runnerTimeout.toMilliseconds()),
      ...opsTopicWarnings(ops),
    ]);

    this.key = createEncryptionKey(this, removalPolicy);
    this.table = createResultsTable(this, this.key, removalPolicy);
    this.topic = createAlertTopic(this, this.key, emailRecipients(config.notifications.email));
    this.opsTopic = createOpsTopic(this, this.key, ops);
    this.eventBus = new EventBus(this, 'EventBus', {
      description: 'Health check state changes (detail-type "Health Check State Changed")',
    });
    this.scheduleDeadLetterQueue = createFailureQueue(this, 'ScheduleDeadLetterQueue');
    this.failureQueue = createFailureQueue(this, 'FunctionFailureQueue');
    const wiring = {
      [runnerEnvironment.tableName]: this.table.tableName,
      [runnerEnvironment.topicArn]: this.topic.topicArn,
      [runnerEnvironment.eventBusName]: this.eventBus.eventBusName,
      [runnerEnvironment.stage]: this.stage,
    };

    const page = props.statusPage ?? {};
    if (page.enabled ?? true) {
      this.statusPage = new StatusPageBucket(this, 'StatusPage', {
        cloudFront: page.cloudFront ?? false,
        ...(page.webAclId ? { webAclId: page.webAclId } : {}),
        removalPolicy,
        acknowledgeNagFindings: props.acknowledgeNagFindings ?? true,
      });
    }

    const checkMetrics = props.checkMetrics ?? 'per-suite';
    const runner = createRunnerFunction(this, {
      configFile,
      kubernetesClient: props.bundleKubernetesClient ?? needsKubernetesClient(config),
      omitPackages: unusedPackages(config),
      timeout: runnerTimeout,
      memorySize: props.runnerMemorySize ?? 512,
      logRetention,
      failureQueue: this.failureQueue,
      ...(props.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrency: props.reservedConcurrency }),
      ...(props.vpcPlacement ? { vpcPlacement: props.vpcPlacement } : {}),
      environment: {
        ...environment,
        ...wiring,
        [runnerEnvironment.checkMetrics]: checkMetrics,
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
    this.runnerSecurityGroups = props.vpcPlacement ? runner.fn.connections.securityGroups : [];
    this.grantAlerting(runner.role, this.topic);
    this.statusPage?.grantPublish(runner.role);
    // Checks' secrets and the notifiers' (the PagerDuty routing key: the runner pages directly).
    const notifierSecrets = [
      ...notifierSecretIds(config.notifications),
      ...(props.pagerDutyRoutingKeySecret ? [props.pagerDutyRoutingKeySecret] : []),
    ];
    const secrets = [...new Set([...checkSecretIds(config), ...notifierSecrets])];
    if (secrets.length > 0) runner.role.addToPrincipalPolicy(secretReadStatement(this, secrets));
    const kmsKeys = props.secretsKmsKeyArns ?? [];
    if (kmsKeys.length > 0) runner.role.addToPrincipalPolicy(secretsKeyStatement(kmsKeys));
    const clusters = eksGrants(config);
    if (clusters.length > 0) runner.role.addToPrincipalPolicy(eksDescribeStatement(this, clusters));
    for (const grant of iamGrants(config)) {
      runner.role.addToPrincipalPolicy(iamGrantStatement(this, grant));
    }
    this.backupReads = s3ReadGrants(config);
    for (const statement of this.backupReads.length > 0 ? s3ReadStatements(this.backupReads) : []) {
      runner.role.addToPrincipalPolicy(statement);
    }
    if (clusters.length > 0 && (props.eksAccessEntries ?? true)) {
      this.eksAccess = new EksAccessEntries(this, 'EksAccess', {
        role: runner.role,
        plans: clusterAccessPlans(clusters),
      });
    }
    if (props.vpcPlacement?.vpcEndpoints) {
      this.vpcEndpoints = new VpcEndpoints(this, 'VpcEndpoints', {
        vpc: props.vpcPlacement.vpc,
        subnets: props.vpcPlacement.subnets ?? { subnets: props.vpcPlacement.vpc.privateSubnets },
        clients: this.runnerSecurityGroups,
        eks: clusters.length > 0,
      });
    }

    this.delivery = new NotificationDelivery(this, 'Delivery', {
      stage: this.stage,
      runner: this.runner,
      opsTopic: this.opsTopic,
      channels: deployedChannels(config.notifications),
      deadLetterQueue: this.scheduleDeadLetterQueue,
      enabled: props.schedulesEnabled ?? true,
    });

    const sharding = props.sharding ?? {};
    const plans = suiteShardPlans(
      config,
      runnerTimeout.toMilliseconds(),
      sharding.maxChecksPerShard,
    );
    this.shardCounts = new Map([...plans].map(([suite, plan]) => [suite, plan.shardCount]));
    const sharded = [...plans].filter(([, plan]) => plan.shardCount > 1);
    if (sharded.length > 0) {
      this.shardedRuns = new ShardedSuiteRuns(this, 'ShardedRuns', {
        runner: this.runner,
        runnerTimeout,
        logRetention,
        maxShardCount: Math.max(...sharded.map(([, plan]) => plan.shardCount)),
        ...(sharding.mapMaxConcurrency === undefined
          ? {}
          : { maxConcurrency: sharding.mapMaxConcurrency }),
        ...(sharding.toleratedFailurePercentage === undefined
          ? {}
          : { toleratedFailurePercentage: sharding.toleratedFailurePercentage }),
      });
      this.shardedRunAlarms = new ShardedRunAlarms(this, 'ShardedRunAlarms', {
        stage: this.stage,
        topic: this.opsTopic,
        stateMachine: this.shardedRuns.stateMachine,
        mapLabel: shardMapLabel,
      });
      for (const [suite, plan] of sharded) {
        Annotations.of(this).addInfo(
          `suite ${suite}: ${plan.shardCount} shards (worst case ${Math.round(plan.suiteWorstCaseMs / 1000)} s in one invocation, ${Math.round(plan.shardWorstCaseMs / 1000)} s per shard); run one locally with healthcheck run --suite ${suite} --shard 1/${plan.shardCount}`,
        );
      }
    }

    this.schedules = new SuiteSchedules(this, 'Schedules', {
      suites: config.suites.map((suite) => ({
        ...suite,
        shardCount: this.shardCounts.get(suite.id) ?? 1,
      })),
      ...(this.shardedRuns ? { shardedRuns: this.shardedRuns.stateMachine } : {}),
      timezone: config.timezone,
      runner: this.runner,
      deadLetterQueue: this.scheduleDeadLetterQueue,
      retryAttempts: props.scheduleRetryAttempts ?? 2,
      maxEventAge,
      enabled: props.schedulesEnabled ?? true,
    });
    const grace = props.missedRunGrace ?? Duration.hours(1);
    const watchdogSchedule = props.watchdogSchedule ?? 'rate(1 hour)';
    try {
      parseScheduleExpression(watchdogSchedule);
    } catch (error) {
      throw new ConfigError(
        [`watchdogSchedule: ${(error as Error).message}`],
        'HealthChecker props',
      );
    }
    this.watchdog = new SuiteWatchdog(this, 'Watchdog', {
      configFile,
      schedule: watchdogSchedule,
      // The latest a run can complete: Scheduler's retries, then the whole runner timeout (for a
      // sharded suite, the state machine's longest run).
      allowance: Duration.millis(
        maxEventAge.toMilliseconds() +
          Math.max(
            runnerTimeout.toMilliseconds(),
            this.shardedRuns?.stateMachineTimeout.toMilliseconds() ?? 0,
          ) +
          grace.toMilliseconds(),
      ),
      scheduleRole: this.schedules.role,
      deadLetterQueue: this.scheduleDeadLetterQueue,
      failureQueue: this.failureQueue,
      logRetention,
      omitPackages: packageUse([]).unused,
      // It loads the same config (its ${env:} too) and pages through the same notifiers, but
      // its email goes to the ops topic: a missed run is the checker's own failure.
      environment: {
        ...environment,
        ...wiring,
        [runnerEnvironment.topicArn]: this.opsTopic.topicArn,
        ...(props.pagerDutyRoutingKeySecret
          ? { [routingKeySecretEnv]: props.pagerDutyRoutingKeySecret }
          : {}),
      },
    });
    this.grantAlerting(this.watchdog.role, this.opsTopic);
    if (notifierSecrets.length > 0) {
      this.watchdog.role.addToPrincipalPolicy(secretReadStatement(this, notifierSecrets));
      if (kmsKeys.length > 0) this.watchdog.role.addToPrincipalPolicy(secretsKeyStatement(kmsKeys));
    }

    this.alarms = new CheckerAlarms(this, 'Alarms', {
      stage: this.stage,
      opsTopic: this.opsTopic,
      runner: this.runner,
      runnerTimeout,
      watchdog: this.watchdog.fn,
      watchdogPeriod: watchdogPeriod(watchdogSchedule),
      scheduleDeadLetterQueue: this.scheduleDeadLetterQueue,
      failureQueue: this.failureQueue,
    });
    this.dashboard = createHealthDashboard(this, {
      ...(props.dashboardName ? { dashboardName: props.dashboardName } : {}),
      stage: this.stage,
      runner: this.runner,
      runnerLogs: runner.logGroup,
      alarms: [
        ...this.alarms.alarms,
        ...this.delivery.refusedAlarms,
        ...(this.shardedRunAlarms?.alarms ?? []),
      ],
      perCheckMetrics: checkMetrics === 'per-check',
    });
    if (props.acknowledgeNagFindings ?? true) this.acknowledgeNagFindings();
  }

  /** What the runner and the watchdog share: the table, the key through it, a topic, the bus. */
  private grantAlerting(role: Role, topic: Topic): void {
    role.addToPrincipalPolicy(tableStatement(this.table.tableArn, runnerTableActions));
    role.addToPrincipalPolicy(keyUseStatement(this.key, ['dynamodb', 'sns']));
    // Not topic.grantPublish: it adds kms:GenerateDataKey* on the key; keyUseStatement covers SNS.
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }),
    );
    this.eventBus.grantPutEventsTo(role);
  }

  private warn(warnings: readonly SynthWarning[]): void {
    for (const warning of warnings) Annotations.of(this).addWarningV2(warning.id, warning.message);
  }

  private acknowledgeNagFindings(): void {
    acknowledge(this.scheduleDeadLetterQueue, queueIsADeadLetterQueue);
    acknowledge(this.failureQueue, queueIsADeadLetterQueue);
    acknowledge(
      this.runnerRole,
      xrayNeedsWildcard(this.runnerSecurityGroups.length > 0),
      ...(this.runnerSecurityGroups.length > 0 ? [vpcInterfaceWildcards] : []),
      ...this.backupReads.map(backupObjectsRead),
    );
    acknowledge(this.watchdog.role, xrayNeedsWildcard(false));
    const stack = Stack.of(this);
    const logicalId = (fn: NodejsFunction) =>
      `<${stack.getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>`;
    acknowledge(
      this.schedules.role,
      schedulerInvokeVersions(logicalId(this.runner)),
      schedulerInvokeVersions(logicalId(this.watchdog.fn)),
    );
    acknowledge(this.delivery.role, schedulerInvokeVersions(logicalId(this.runner)));
    if (this.shardedRuns) {
      const machine = this.shardedRuns.stateMachine;
      const name = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stack.getLogicalId(machine.node.defaultChild as CfnElement)}"}]}]}`;
      const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}`;
      acknowledge(
        machine,
        schedulerInvokeVersions(logicalId(this.runner)),
        stateMachineTelemetryWildcards,
        distributedMapExecutions(`${executions}:*`),
        distributedMapExecutions(`${executions}/${shardMapLabel}:*`),
      );
    }
  }
}

/** The watchdog's interval, for its own "has stopped running" alarm. */
function watchdogPeriod(expression: string): Duration {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!rate) return Duration.hours(1);
  const value = Number(rate[1]);
  const unit = rate[2] ?? 'hour';
  if (unit.startsWith('minute')) return Duration.minutes(value);
  if (unit.startsWith('day')) return Duration.days(value);
  return Duration.hours(value);
}
