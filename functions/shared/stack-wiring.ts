import type { Logger } from '@aws-lambda-powertools/logger';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import type { AlertLogger, Notifier } from '../../lib/alerting/notifier.ts';
import type { Config } from '../../lib/config/load-config.ts';
import type { SecretResolver } from '../../lib/config/references.ts';
import { runnerEnvironment } from '../../lib/infra/telemetry-names.ts';
import { createNotifiers } from '../../lib/notify/registry.ts';
import { DynamoShardResultStore } from '../../lib/store/dynamodb-shard-results.ts';
import { DynamoResultStore } from '../../lib/store/dynamodb-store.ts';
import { DynamoSuiteRunStore } from '../../lib/store/dynamodb-suite-runs.ts';

/** A variable the stack sets (lib/infra): missing means a broken deploy, so say so. */
export function requiredEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set (the stack sets it)`);
  return value;
}

/** The Powertools logger as the alerting core's logger port. */
export function alertLoggerOf(logger: Logger): AlertLogger {
  return {
    info: (message, extra) => logger.info(message, extra ?? {}),
    warn: (message, extra) => logger.warn(message, extra ?? {}),
    error: (message, extra) => logger.error(message, extra ?? {}),
  };
}

export interface StackAlerting {
  readonly store: DynamoResultStore;
  readonly suiteRuns: DynamoSuiteRunStore;
  /** Sharded suites: each shard's results for the aggregation step. */
  readonly shardResults: DynamoShardResultStore;
  /** The config's notifiers (lib/notify/registry.ts) as deployed, with the stack's stage. */
  readonly notifiers: (config: Config) => Promise<Notifier[]>;
  /**
   * Sets the epoch ms after which this invocation's rate-limited deliveries stay in the outbox
   * instead of waiting (the notifiers outlive the invocation, so they read it per delivery).
   */
  readonly setDeliveryDeadline: (epochMs: number | undefined) => void;
}

/**
 * What the runner and the watchdog share, from the environment the stack sets: the results table
 * (check states and history, and the suite records) and the same notifier registry as the CLI
 * (EventBridge, email through the SNS topic, PagerDuty directly), with traced clients built once
 * per container.
 */
export function stackAlerting(
  env: NodeJS.ProcessEnv,
  tracer: Tracer,
  secrets: SecretResolver,
  logger: AlertLogger,
): StackAlerting {
  const endpoint = env[runnerEnvironment.dynamoDbEndpoint];
  const client = tracer.captureAWSv3Client(new DynamoDBClient(endpoint ? { endpoint } : {}));
  const tableName = requiredEnv(env, runnerEnvironment.tableName);
  const sns = tracer.captureAWSv3Client(new SNSClient({}));
  const eventBridge = tracer.captureAWSv3Client(new EventBridgeClient({}));
  const topicArn = requiredEnv(env, runnerEnvironment.topicArn);
  const eventBusName = requiredEnv(env, runnerEnvironment.eventBusName);
  const stage = env[runnerEnvironment.stage];
  let deliveryDeadline: number | undefined;
  return {
    store: new DynamoResultStore({ client, tableName }),
    suiteRuns: new DynamoSuiteRunStore({ client, tableName }),
    shardResults: new DynamoShardResultStore({ client, tableName }),
    notifiers: (config) =>
      createNotifiers(config.notifications, {
        target: 'aws',
        secrets,
        logger,
        sns,
        topicArn,
        eventBridge,
        eventBusName,
        timeZone: config.timezone,
        ...(stage ? { stage } : {}),
        deliveryDeadline: () => deliveryDeadline,
      }),
    setDeliveryDeadline: (epochMs) => {
      deliveryDeadline = epochMs;
    },
  };
}
