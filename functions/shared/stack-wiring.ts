import type { Logger } from '@aws-lambda-powertools/logger';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import type { AlertLogger, Notifier } from '../../lib/alerting/notifier.ts';
import { runnerEnvironment } from '../../lib/infra/telemetry-names.ts';
import { EventBridgeNotifier } from '../../lib/notify/eventbridge-notifier.ts';
import { SnsNotifier } from '../../lib/notify/sns-notifier.ts';
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

/**
 * What the runner and the watchdog share, from the environment the stack sets: the results table
 * (check states and history, and the suite records) and the EventBridge and SNS notifiers, with
 * traced clients built once per container.
 */
export function stackAlerting(
  env: NodeJS.ProcessEnv,
  tracer: Tracer,
  timeZone: () => string,
): { store: DynamoResultStore; suiteRuns: DynamoSuiteRunStore; notifiers: Notifier[] } {
  const endpoint = env[runnerEnvironment.dynamoDbEndpoint];
  const client = tracer.captureAWSv3Client(new DynamoDBClient(endpoint ? { endpoint } : {}));
  const tableName = requiredEnv(env, runnerEnvironment.tableName);
  return {
    store: new DynamoResultStore({ client, tableName }),
    suiteRuns: new DynamoSuiteRunStore({ client, tableName }),
    notifiers: [
      new EventBridgeNotifier({
        client: tracer.captureAWSv3Client(new EventBridgeClient({})),
        eventBusName: requiredEnv(env, runnerEnvironment.eventBusName),
      }),
      new SnsNotifier({
        client: tracer.captureAWSv3Client(new SNSClient({})),
        topicArn: requiredEnv(env, runnerEnvironment.topicArn),
        timeZone,
      }),
    ],
  };
}
