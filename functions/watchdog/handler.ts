import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { watchdogEnvironment } from '../../lib/infra/telemetry-names.ts';
import { SecretsManagerResolver } from '../../lib/secrets/secrets-manager-resolver.ts';
import { watchSuites } from '../../lib/watchdog/watch-suites.ts';
import { bundledConfigLoader } from '../runner/bundled-config.ts';
import { deliveryDeadline } from '../runner/run-budget.ts';
import { alertLoggerOf, requiredEnv, stackAlerting } from '../shared/stack-wiring.ts';
import { parseWatchdogEvent } from './watchdog-event.ts';

// Module scope: built once per container, as the runner does.
const env = process.env;
const logger = new Logger();
const tracer = new Tracer();
const config = bundledConfigLoader(env);
const alertLogger = alertLoggerOf(logger);
const { store, suiteRuns, notifiers, setDeliveryDeadline } = stackAlerting(
  env,
  tracer,
  new SecretsManagerResolver(),
  alertLogger,
);
const allowanceMs = Number(requiredEnv(env, watchdogEnvironment.allowanceMs));

/** The watchdog's schedule -> one look at every suite. */
export const handler = middy(async (event: unknown, context: Context) => {
  const { scheduledTime } = parseWatchdogEvent(event);
  const loaded = config();
  const remainingMs = context.getRemainingTimeInMillis();
  const endsAt = Date.now() + Math.max(1_000, remainingMs - 1_000);
  setDeliveryDeadline(deliveryDeadline(endsAt, remainingMs));
  const report = await watchSuites(
    {
      config: loaded,
      now: new Date(),
      allowanceMs,
      ...(scheduledTime ? { scheduledTime } : {}),
      signal: AbortSignal.timeout(Math.max(1, endsAt - Date.now())),
    },
    { store, notifiers: await notifiers(loaded), logger: alertLogger },
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
