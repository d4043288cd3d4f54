import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { AlertLogger } from '../../lib/alerting/notifier.ts';
import { runnerEnvironment, watchdogEnvironment } from '../../lib/infra/telemetry-names.ts';
import { EventBridgeNotifier } from '../../lib/notify/eventbridge-notifier.ts';
import { SnsNotifier } from '../../lib/notify/sns-notifier.ts';
import { DynamoResultStore } from '../../lib/store/dynamodb-store.ts';
import { DynamoSuiteRunStore } from '../../lib/store/dynamodb-suite-runs.ts';
import { watchSuites } from '../../lib/watchdog/watch-suites.ts';
import { bundledConfigLoader } from '../runner/bundled-config.ts';
import { parseWatchdogEvent } from './watchdog-event.ts';

// Module scope: built once per container, as the runner does.
const env = process.env;

function required(name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set (the stack sets it)`);
  return value;
}

const logger = new Logger();
const tracer = new Tracer();
const alertLogger: AlertLogger = {
  info: (message, extra) => logger.info(message, extra ?? {}),
  warn: (message, extra) => logger.warn(message, extra ?? {}),
  error: (message, extra) => logger.error(message, extra ?? {}),
};
const dynamoEndpoint = env[runnerEnvironment.dynamoDbEndpoint];
const dynamo = tracer.captureAWSv3Client(
  new DynamoDBClient(dynamoEndpoint ? { endpoint: dynamoEndpoint } : {}),
);
const tableName = required(runnerEnvironment.tableName);
const store = new DynamoResultStore({ client: dynamo, tableName });
const suiteRuns = new DynamoSuiteRunStore({ client: dynamo, tableName });
const notifiers = [
  new EventBridgeNotifier({
    client: tracer.captureAWSv3Client(new EventBridgeClient({})),
    eventBusName: required(runnerEnvironment.eventBusName),
  }),
  new SnsNotifier({
    client: tracer.captureAWSv3Client(new SNSClient({})),
    topicArn: required(runnerEnvironment.topicArn),
  }),
];
const config = bundledConfigLoader(env);
const allowanceMs = Number(required(watchdogEnvironment.allowanceMs));

/** The watchdog's schedule -> one look at every suite. */
export const handler = middy(async (event: unknown, context: Context) => {
  const { scheduledTime } = parseWatchdogEvent(event);
  const report = await watchSuites(
    {
      config: config(),
      now: new Date(),
      allowanceMs,
      ...(scheduledTime ? { scheduledTime } : {}),
      signal: AbortSignal.timeout(Math.max(1_000, context.getRemainingTimeInMillis() - 1_000)),
    },
    { store, notifiers, logger: alertLogger },
    suiteRuns,
  );
  logger.info('suites watched', {
    suites: report.results.length,
    overdue: report.overdue,
    alerts: report.alerts.length,
  });
  return { overdue: report.overdue, alerts: report.alerts };
})
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(injectLambdaContext(logger));
