import { Duration } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createFunctionRole } from './function-role.ts';
import { nodeBundling } from './node-bundling.ts';
import { depsLockFile, functionEntry, projectRoot } from './project-paths.ts';
import {
  bundledConfigFileName,
  runnerEnvironment,
  watchdogEnvironment,
  watchdogServiceName,
} from './telemetry-names.ts';

export interface SuiteWatchdogProps {
  readonly configFile: string;
  /** When the watchdog runs, e.g. `rate(1 hour)`. */
  readonly schedule: string;
  /** How long after its scheduled time a suite's run may complete before it is overdue. */
  readonly allowance: Duration;
  readonly scheduleRole: IRole;
  readonly deadLetterQueue: IQueue;
  readonly failureQueue: IQueue;
  readonly logRetention: RetentionDays;
  /** Every heavy package the checks declare: the watchdog runs none of them. */
  readonly omitPackages: readonly string[];
  /** Table, topic, bus and stage, as the runner gets them. */
  readonly environment: Record<string, string>;
}

/**
 * The suite watchdog: a small function on its own schedule that compares each suite's last
 * completed run (recorded in the results table by the runner) with the suite's schedule in its
 * time zone, and alerts through the normal alert path (state machine, outbox, SNS, EventBridge,
 * PagerDuty) when a run is overdue, then resolves when the suite completes again. It needs no
 * VPC: it reads the table and publishes, nothing else.
 */
export class SuiteWatchdog extends Construct {
  readonly fn: NodejsFunction;
  readonly role;
  readonly logGroup: LogGroup;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: SuiteWatchdogProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    this.role = createFunctionRole(this, 'Role', this.logGroup, false);
    this.fn = new NodejsFunction(this, 'Function', {
      description: 'Alerts when a health check suite has not completed a scheduled run',
      entry: functionEntry('watchdog'),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: depsLockFile,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.minutes(1),
      memorySize: 256,
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      retryAttempts: 0,
      onFailure: new SqsDestination(props.failureQueue),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: watchdogServiceName,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        [runnerEnvironment.configFile]: bundledConfigFileName,
        [watchdogEnvironment.allowanceMs]: String(props.allowance.toMilliseconds()),
        ...props.environment,
      },
      bundling: nodeBundling({
        kubernetesClient: false,
        omitPackages: props.omitPackages,
        extraFiles: [[props.configFile, bundledConfigFileName]],
      }),
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Health check watchdog: alert on suites that have not completed a run',
      schedule: ScheduleExpression.expression(props.schedule),
      target: new LambdaInvoke(this.fn, {
        role: props.scheduleRole,
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 2,
        maxEventAge: Duration.minutes(30),
      }),
    });
  }
}
