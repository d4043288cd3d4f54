import { Duration } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ITopic, SubscriptionFilter } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { forwarderEnvironment } from '../../functions/pagerduty-forwarder/environment.ts';
import { createFunctionRole } from './function-role.ts';
import { nodeBundling } from './node-bundling.ts';
import { depsLockFile, functionEntry, projectRoot } from './project-paths.ts';
import { secretReadStatement } from './runner-function.ts';
import { forwarderServiceName } from './telemetry-names.ts';

export interface ForwarderFunctionOptions {
  readonly topic: ITopic;
  /** Severities that page, e.g. ['P1', 'P2']: the subscription's filter policy. */
  readonly severities: readonly string[];
  readonly routingKeySecret: string;
  readonly environment: Record<string, string>;
  readonly logRetention: RetentionDays;
  readonly failureQueue: IQueue;
}

export { forwarderEnvironment };

/**
 * The PagerDuty forwarder, subscribed to the alert topic with a `severity` filter so only paging
 * severities reach it. It reads the routing key from Secrets Manager at run time: the template
 * holds only the secret's name.
 */
export function createForwarderFunction(scope: Construct, options: ForwarderFunctionOptions) {
  const logGroup = new LogGroup(scope, 'ForwarderLogs', { retention: options.logRetention });
  const role = createFunctionRole(scope, 'ForwarderRole', logGroup, false);
  const fn = new NodejsFunction(scope, 'PagerDutyForwarder', {
    description: 'Forwards paging-severity alerts from the alert topic to PagerDuty Events API v2',
    entry: functionEntry('pagerduty-forwarder'),
    handler: 'handler',
    projectRoot,
    depsLockFilePath: depsLockFile,
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    timeout: Duration.seconds(60),
    memorySize: 256,
    role,
    logGroup,
    tracing: Tracing.ACTIVE,
    onFailure: new SqsDestination(options.failureQueue),
    environment: {
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: forwarderServiceName,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      [forwarderEnvironment.routingKeySecret]: options.routingKeySecret,
      ...options.environment,
    },
    bundling: nodeBundling({ kubernetesClient: false }),
  });
  role.addToPrincipalPolicy(secretReadStatement(scope, [options.routingKeySecret]));

  options.topic.addSubscription(
    new LambdaSubscription(fn, {
      filterPolicy: {
        severity: SubscriptionFilter.stringFilter({ allowlist: [...options.severities] }),
      },
    }),
  );
  return { fn, role, logGroup };
}
