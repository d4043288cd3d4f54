import { join, resolve } from 'node:path';
import type { AlertLogger, Notifier } from '../alerting/notifier.ts';
import type { Config } from '../config/load-config.ts';
import { EnvSecretResolver, resolveSecretReferences } from '../config/references.ts';
import type { LocalEmail } from '../notify/local-email-notifier.ts';
import type { EmbeddedStore } from '../store/embedded-store.ts';
import type { OptionValues } from './command.ts';
import type { CliIo } from './io.ts';

export const defaultStateDir = '.healthcheck';

export function stateDirOf(values: OptionValues, io: CliIo): string {
  const given = values['state-dir'];
  const dir =
    typeof given === 'string' ? given : (io.env['HEALTHCHECK_STATE_DIR'] ?? defaultStateDir);
  return resolve(io.cwd, dir);
}

export function outboxFileOf(stateDir: string): string {
  return join(stateDir, 'outbox.jsonl');
}

/** Problems from adapters go to stderr, one line each, so stdout stays the report. */
export function stderrLogger(io: CliIo): AlertLogger {
  const line = (level: string) => (message: string) => {
    io.stderr.write(`healthcheck: ${level}${message}\n`);
  };
  return { info: () => {}, warn: line('warning: '), error: line('error: ') };
}

let storeModule: Promise<typeof import('../store/embedded-store.ts')> | undefined;

/** Starts loading the store's code (AWS SDK, dynalite: the slow part of starting) in the background. */
export function preloadLocalStore(): void {
  storeModule ??= import('../store/embedded-store.ts');
  storeModule.catch(() => {});
}

/** The store is heavy: loaded only by commands that need it, and opened only once the config is valid. */
export async function openLocalStore(stateDir: string): Promise<EmbeddedStore> {
  preloadLocalStore();
  const { openEmbeddedStore } = await (storeModule as Promise<
    typeof import('../store/embedded-store.ts')
  >);
  return openEmbeddedStore(stateDir);
}

/**
 * Local delivery: PagerDuty directly (same client as the forwarder Lambda) when configured, and
 * email "sent" by printing it and appending it to `<state dir>/outbox.jsonl`.
 */
export async function localNotifiers(
  config: Config,
  options: { stateDir: string; io: CliIo; print: (email: LocalEmail) => void },
): Promise<Notifier[]> {
  const { LocalEmailNotifier } = await import('../notify/local-email-notifier.ts');
  const notifiers: Notifier[] = [
    new LocalEmailNotifier({
      outboxFile: outboxFileOf(options.stateDir),
      recipients: config.notifications.email,
      timeZone: config.timezone,
      print: options.print,
    }),
  ];
  const pagerduty = config.notifications.pagerduty;
  if (pagerduty) {
    const { PagerDutyClient } = await import('../notify/pagerduty-client.ts');
    const { PagerDutyNotifier } = await import('../notify/pagerduty-notifier.ts');
    const secrets = new EnvSecretResolver(options.io.env);
    let routingKey: Promise<string> | undefined;
    notifiers.push(
      new PagerDutyNotifier({
        client: new PagerDutyClient({ url: pagerduty.url, logger: stderrLogger(options.io) }),
        severities: pagerduty.severities,
        routingKey: () => {
          routingKey ??= resolveSecretReferences(pagerduty.routingKey, secrets).then(
            (r) => r.value,
          );
          return routingKey;
        },
      }),
    );
  }
  return notifiers;
}
