import { Duration } from 'aws-cdk-lib';
import { SubnetType } from 'aws-cdk-lib/aws-ec2';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { createFunctionRole } from './function-role.ts';
import type { HealthCheckerVpcPlacement } from './health-checker-props.ts';
import { nodeBundling } from './node-bundling.ts';
import { depsLockFile, functionEntry, projectRoot } from './project-paths.ts';
import {
  bundledConfigFileName,
  metricNamespace,
  runnerEnvironment,
  runnerServiceName,
} from './telemetry-names.ts';

export interface RunnerFunctionOptions {
  readonly configFile: string;
  readonly kubernetesClient: boolean;
  /** Drivers no check in the config uses: stubbed out of the bundle. */
  readonly omitPackages: readonly string[];
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly logRetention: RetentionDays;
  readonly failureQueue: IQueue;
  readonly reservedConcurrency?: number;
  readonly vpcPlacement?: HealthCheckerVpcPlacement;
  readonly environment: Record<string, string>;
}

/** The runner: one invocation runs one suite, with the config bundled beside the code. */
export function createRunnerFunction(scope: Construct, options: RunnerFunctionOptions) {
  const logGroup = new LogGroup(scope, 'RunnerLogs', { retention: options.logRetention });
  const role = createFunctionRole(scope, 'RunnerRole', logGroup, Boolean(options.vpcPlacement));
  const vpc = options.vpcPlacement;
  const fn = new NodejsFunction(scope, 'Runner', {
    description: 'Runs one health check suite (scheduled by EventBridge Scheduler)',
    entry: functionEntry('runner'),
    handler: 'handler',
    projectRoot,
    depsLockFilePath: depsLockFile,
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    timeout: options.timeout,
    memorySize: options.memorySize,
    role,
    logGroup,
    tracing: Tracing.ACTIVE,
    // Scheduler already retries delivery; a crashed run is reported, not re-run twice more.
    retryAttempts: 0,
    onFailure: new SqsDestination(options.failureQueue),
    ...(options.reservedConcurrency === undefined
      ? {}
      : { reservedConcurrentExecutions: options.reservedConcurrency }),
    ...(vpc
      ? {
          vpc: vpc.vpc,
          vpcSubnets: vpc.subnets ?? { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
          ...(vpc.securityGroups ? { securityGroups: [...vpc.securityGroups] } : {}),
        }
      : {}),
    environment: {
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: runnerServiceName,
      POWERTOOLS_METRICS_NAMESPACE: metricNamespace,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      [runnerEnvironment.configFile]: bundledConfigFileName,
      ...options.environment,
    },
    bundling: nodeBundling({
      kubernetesClient: options.kubernetesClient,
      omitPackages: options.omitPackages,
      extraFiles: [[options.configFile, bundledConfigFileName]],
    }),
  });
  return { fn, role, logGroup };
}

export const defaultRunnerTimeout = Duration.minutes(5);
