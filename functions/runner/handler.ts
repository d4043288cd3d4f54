import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { AlertLogger } from '../../lib/alerting/notifier.ts';
import { loadCheckFromRegistry } from '../../lib/checks/load-check.ts';
import { runnerEnvironment } from '../../lib/infra/telemetry-names.ts';
import { createNotifiers } from '../../lib/notify/registry.ts';
import { DynamoResultStore } from '../../lib/store/dynamodb-store.ts';
import { bundledConfigLoader } from './bundled-config.ts';
import type { MetricRecord } from './run-metrics.ts';
import { createSecretResolver } from './secret-resolver.ts';
import { statusPagePublisher } from './status-page-publisher.ts';
import { createSuiteRunner } from './suite-runner.ts';

// Module scope: built once per container and reused by warm invocations.
const env = process.env;

function required(name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set (the stack sets it)`);
  return value;
}

const logger = new Logger();
const metrics = new Metrics();
const tracer = new Tracer();

const dynamoEndpoint = env[runnerEnvironment.dynamoDbEndpoint];
const dynamo = tracer.captureAWSv3Client(
  new DynamoDBClient(dynamoEndpoint ? { endpoint: dynamoEndpoint } : {}),
);
const sns = tracer.captureAWSv3Client(new SNSClient({}));
const events = tracer.captureAWSv3Client(new EventBridgeClient({}));

const units = {
  Count: MetricUnit.Count,
  Milliseconds: MetricUnit.Milliseconds,
  None: MetricUnit.NoUnit,
} as const;

/**
 * Each record has its own dimension set, so each is flushed as its own EMF line; the last one is
 * left for the logMetrics middleware to flush when the invocation ends.
 */
function publishMetrics(records: readonly MetricRecord[]): void {
  records.forEach((record, index) => {
    metrics.addDimensions(record.dimensions);
    for (const metric of record.metrics) {
      for (const value of metric.values) metrics.addMetric(metric.name, units[metric.unit], value);
    }
    if (index < records.length - 1) metrics.publishStoredMetrics();
  });
}

const alertLogger: AlertLogger = {
  info: (message, extra) => logger.info(message, extra ?? {}),
  warn: (message, extra) => logger.warn(message, extra ?? {}),
  error: (message, extra) => logger.error(message, extra ?? {}),
};
const secrets = createSecretResolver();
const topicArn = required(runnerEnvironment.topicArn);
const eventBusName = required(runnerEnvironment.eventBusName);
const dynamoStore = new DynamoResultStore({
  client: dynamo,
  tableName: required(runnerEnvironment.tableName),
});
const runSuite = createSuiteRunner({
  config: bundledConfigLoader(env),
  store: dynamoStore,
  // The same registry as the CLI: EventBridge, email through the SNS topic, PagerDuty directly.
  notifiers: (config) =>
    createNotifiers(config.notifications, {
      target: 'aws',
      secrets,
      logger: alertLogger,
      sns,
      topicArn,
      eventBridge: events,
      eventBusName,
      timeZone: config.timezone,
    }),
  secrets,
  loadCheck: loadCheckFromRegistry,
  logger: alertLogger,
  publishMetrics,
  ...statusPagePublisher(env, dynamoStore),
});

/** EventBridge Scheduler -> one suite run, or a delivery pass (`{deliver: 'pending'}`). */
export const handler = middy(async (event: unknown, context: Context) =>
  runSuite(event, context.getRemainingTimeInMillis()),
)
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
