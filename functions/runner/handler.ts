import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { loadCheckFromRegistry } from '../../lib/checks/load-check.ts';
import { dimensionNames, runnerEnvironment } from '../../lib/infra/telemetry-names.ts';
import { alertLoggerOf, stackAlerting } from '../shared/stack-wiring.ts';
import { bundledConfigLoader } from './bundled-config.ts';
import { createMetricsPublisher } from './metrics-publisher.ts';
import { createSecretResolver } from './secret-resolver.ts';
import { statusPagePublisher } from './status-page-publisher.ts';
import { createSuiteRunner } from './suite-runner.ts';

// Module scope: built once per container and reused by warm invocations.
const env = process.env;
const logger = new Logger();
// Every metric carries the stage, so two stacks in one account never mix their series.
const stage = env[runnerEnvironment.stage];
const metrics = new Metrics(stage ? { defaultDimensions: { [dimensionNames.stage]: stage } } : {});
const tracer = new Tracer();

const alertLogger = alertLoggerOf(logger);
const secrets = createSecretResolver();
const alerting = stackAlerting(env, tracer, secrets, alertLogger);
const runSuite = createSuiteRunner({
  config: bundledConfigLoader(env),
  ...alerting,
  secrets,
  loadCheck: loadCheckFromRegistry,
  logger: alertLogger,
  publishMetrics: createMetricsPublisher(metrics),
  perCheckMetrics: env[runnerEnvironment.checkMetrics] === 'per-check',
  ...statusPagePublisher(env, alerting.store),
});

/** EventBridge Scheduler -> one suite run, or a delivery pass (`{deliver: 'pending'}`). */
export const handler = middy(async (event: unknown, context: Context) =>
  runSuite(event, context.getRemainingTimeInMillis()),
)
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
