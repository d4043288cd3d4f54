import { resolve } from 'node:path';
import type { AlertLogger, Notifier } from '../alerting/notifier.ts';
import type { Config } from '../config/load-config.ts';
import { EnvSecretResolver } from '../config/references.ts';
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

export { localEmailOutboxFile as outboxFileOf } from '../notify/email/index.ts';

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
 * Local delivery, from the notifier registry like the runner's: PagerDuty directly when configured
 * (routing key from `${secret:ID}` -> `HEALTHCHECK_SECRET_<ID>` or `${env:NAME}`), and email
 * "sent" by printing it and appending it to `<state dir>/outbox.jsonl`.
 */
export async function localNotifiers(
  config: Config,
  options: { stateDir: string; io: CliIo; print: (email: LocalEmail) => void },
): Promise<Notifier[]> {
  const { createNotifiers } = await import('../notify/registry.ts');
  return createNotifiers(config.notifications, {
    target: 'local',
    secrets: new EnvSecretResolver(options.io.env),
    logger: stderrLogger(options.io),
    stateDir: options.stateDir,
    print: options.print,
    timeZone: config.timezone,
  });
}
