import * as z from 'zod';
import type { Notifier } from '../alerting/notifier.ts';
import { emailNotifier } from './email/index.ts';
import { eventBridgeNotifier } from './eventbridge/index.ts';
import { pagerDutyNotifier } from './pagerduty/index.ts';
import type { NotifierGrant, NotifierRuntime } from './plugin.ts';

/**
 * Every notification channel. Adding one means adding its folder (`lib/notify/<name>/index.ts`:
 * schema, construction, grants) and one entry here; the config schema, the CLI, the runner and
 * the stack all read this list.
 */
export const notifierPlugins = [eventBridgeNotifier, emailNotifier, pagerDutyNotifier] as const;

type Plugin = (typeof notifierPlugins)[number];
type Configurable = Extract<Plugin, { configKey: string }>;
type NotificationsShape = { [P in Configurable as P['configKey']]: P['schema'] };

const shape = Object.fromEntries(
  notifierPlugins.flatMap((p) => (p.configKey ? [[p.configKey, p.schema]] : [])),
) as NotificationsShape;

/** `notifications:` in the config: one field per configurable notifier. */
export const NotificationsSchema = z.strictObject(shape);

export type NotificationsConfig = z.output<typeof NotificationsSchema>;

function configOf(plugin: Plugin, notifications: NotificationsConfig): unknown {
  return plugin.configKey
    ? notifications[plugin.configKey as keyof NotificationsConfig]
    : undefined;
}

/** The notifiers of a config for a runtime (CLI or Lambda), in registry order. */
export async function createNotifiers(
  notifications: NotificationsConfig,
  runtime: NotifierRuntime,
): Promise<Notifier[]> {
  const built = await Promise.all(
    notifierPlugins.map((p) =>
      (p.create as (c: unknown, r: NotifierRuntime) => Promise<Notifier | undefined>)(
        configOf(p, notifications),
        runtime,
      ),
    ),
  );
  return built.filter((n): n is Notifier => n !== undefined);
}

/** The outbox channels the runner delivers to when deployed (alarms watch their refusals). */
export function deployedChannels(notifications: NotificationsConfig): string[] {
  return notifierPlugins
    .filter((p) => !p.configKey || configOf(p, notifications) !== undefined)
    .map((p) => ('awsChannel' in p && p.awsChannel ? p.awsChannel : p.name));
}

/** What the configured notifiers need when deployed, e.g. the routing key secret to read. */
export function notifierGrants(notifications: NotificationsConfig): NotifierGrant[] {
  return notifierPlugins.flatMap((p) =>
    p.grants
      ? (p.grants as (c: unknown) => readonly NotifierGrant[])(configOf(p, notifications))
      : [],
  );
}

/** Secrets Manager ids the notifiers read at run time. */
export function notifierSecretIds(notifications: NotificationsConfig): string[] {
  return [
    ...new Set(
      notifierGrants(notifications).flatMap((g) => (g.kind === 'secret-read' ? g.secretIds : [])),
    ),
  ];
}
