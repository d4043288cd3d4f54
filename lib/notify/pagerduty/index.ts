import * as z from 'zod';
import { Severity } from '../../config/fields.ts';
import { resolveSecretReferences, secretIds } from '../../config/references.ts';
import { defaultPagerDutyUrl } from '../pagerduty-client.ts';
import { defineNotifier } from '../plugin.ts';

/** Set on the runner to read the routing key from this secret instead of the config's value. */
export const routingKeySecretEnv = 'HEALTHCHECK_PAGERDUTY_SECRET_ID';

export const PagerDutySchema = z
  .strictObject({
    routingKey: z
      .string()
      .min(1)
      .describe('Events API v2 integration key, e.g. ${secret:erp/pagerduty}'),
    severities: z.array(Severity).min(1).default(['P1', 'P2']),
    url: z.url().default(defaultPagerDutyUrl),
  })
  .optional();

/**
 * PagerDuty Events API v2, delivered by the run itself (CLI and runner Lambda alike) from the
 * durable outbox: retried by later runs and by the delivery schedule, ordered per check.
 */
export const pagerDutyNotifier = defineNotifier({
  name: 'pagerduty',
  description: 'PagerDuty Events API v2 (trigger, then resolve; dedup key = check id)',
  configKey: 'pagerduty',
  schema: PagerDutySchema,
  async create(config, runtime) {
    if (!config) return undefined;
    const { PagerDutyClient } = await import('../pagerduty-client.ts');
    const { PagerDutyNotifier } = await import('../pagerduty-notifier.ts');
    const override = runtime.target === 'aws' ? process.env[routingKeySecretEnv] : undefined;
    const reference = override ? `\${secret:${override}}` : config.routingKey;
    let routingKey: Promise<string> | undefined;
    return new PagerDutyNotifier({
      client: new PagerDutyClient({
        url: config.url,
        logger: runtime.logger,
        ...(runtime.pagerDuty ?? {}),
        ...(runtime.target === 'aws' && runtime.deliveryDeadline
          ? { deadline: runtime.deliveryDeadline }
          : {}),
      }),
      severities: config.severities,
      ...(runtime.target === 'aws' && runtime.stage ? { stage: runtime.stage } : {}),
      // Resolved on first use, so a run with nothing to page never reads the secret.
      routingKey: () => {
        routingKey ??= resolveSecretReferences(reference, runtime.secrets).then((r) => r.value);
        routingKey.catch(() => {
          routingKey = undefined;
        });
        return routingKey;
      },
    });
  },
  grants: (config) =>
    config
      ? [
          { kind: 'secret-read', secretIds: secretIds(config.routingKey) },
          { kind: 'internet-egress', to: new URL(config.url).host },
        ]
      : [],
});
