import { errorMessage } from '../core/errors.ts';
import type { AlertLogger, Notifier } from './notifier.ts';
import type { Claim, DeliveryOutcome } from './outbox.ts';

/**
 * Channels that failed transiently during this run. Shared by every check of the run, so a
 * PagerDuty outage costs one set of retries per run, not one per check: later deliveries to that
 * channel stay pending for the next run.
 */
export type DownChannels = Set<string>;

function isPermanent(error: unknown): boolean {
  return (error as { permanent?: unknown } | undefined)?.permanent === true;
}

/**
 * Delivers claimed entries oldest first. A channel that fails transiently is skipped for the rest
 * of the run (a resolve never overtakes its trigger); a permanent refusal is recorded as failed.
 */
export async function deliverClaims(
  claims: readonly Claim[],
  notifiers: readonly Notifier[],
  down: DownChannels,
  logger: AlertLogger,
  signal?: AbortSignal,
): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  for (const { entry, channels } of claims) {
    const n = entry.notification;
    const delivered: string[] = [];
    const pending: string[] = [];
    const failed: { channel: string; error: string }[] = [];
    let lastError: string | undefined;
    for (const channel of channels) {
      const notifier = notifiers.find((x) => x.channel === channel);
      if (!notifier || down.has(channel) || signal?.aborted) {
        pending.push(channel);
        continue;
      }
      try {
        await notifier.deliver(n, signal);
        delivered.push(channel);
      } catch (error) {
        const message = errorMessage(error);
        lastError = `${channel}: ${message}`;
        if (isPermanent(error)) {
          failed.push({ channel, error: message });
          logger.error(
            `${channel} refused the ${n.event} for ${n.check} for good (not retried; healthcheck replay sends it again once fixed): ${message}`,
            { notification: n.id, channel },
          );
        } else {
          pending.push(channel);
          down.add(channel);
          logger.warn(
            `${n.event} for ${n.check} not delivered on ${channel}; kept for the next run: ${message}`,
            { notification: n.id, channel },
          );
        }
      }
    }
    outcomes.push({ id: n.id, delivered, pending, failed, ...(lastError ? { lastError } : {}) });
  }
  return outcomes;
}
