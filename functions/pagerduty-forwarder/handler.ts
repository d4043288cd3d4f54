import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { AlertLogger } from '../../lib/alerting/notifier.ts';
import { PagerDutyClient } from '../../lib/notify/pagerduty-client.ts';
import { SecretsManagerResolver } from '../../lib/secrets/secrets-manager-resolver.ts';
import { forwarderEnvironment } from './environment.ts';
import { createForwarder } from './forward.ts';

// Module scope: one logger, client and secret cache per warm container.
const logger = new Logger({ serviceName: 'healthcheck-pagerduty-forwarder' });
const secrets = new SecretsManagerResolver();
const url = process.env[forwarderEnvironment.url];
const alertLogger: AlertLogger = {
  info: (message, extra) => logger.info(message, extra ?? {}),
  warn: (message, extra) => logger.warn(message, extra ?? {}),
  error: (message, extra) => logger.error(message, extra ?? {}),
};

function routingKey(): Promise<string> {
  const id = process.env[forwarderEnvironment.routingKeySecret];
  if (!id) {
    return Promise.reject(new Error(`${forwarderEnvironment.routingKeySecret} is not set`));
  }
  return secrets.resolve(id);
}

export const handler = middy(
  createForwarder({
    client: new PagerDutyClient({ ...(url ? { url } : {}), logger: alertLogger }),
    routingKey,
    logger: alertLogger,
  }),
).use(injectLambdaContext(logger));
