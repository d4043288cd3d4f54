import { errorMessage } from '../core/errors.ts';
import { mapWithConcurrency } from '../core/semaphore.ts';
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

/** The claims of one STATE item (a check's, or a grouped incident's), delivered together. */
export interface OwnedClaims {
  readonly owner: string;
  readonly claims: readonly Claim[];
}

function merge(a: DeliveryOutcome | undefined, b: DeliveryOutcome): DeliveryOutcome {
  if (!a) return b;
  const lastError = b.lastError ?? a.lastError;
  return {
    id: a.id,
    delivered: [...a.delivered, ...b.delivered],
    pending: [...a.pending, ...b.pending],
    failed: [...a.failed, ...b.failed],
    ...(lastError ? { lastError } : {}),
  };
}

/**
 * Delivers a whole run's claims: channels with `deliverBatch` (email) get one message for the
 * run, all owners' entries together; every other channel is delivered per entry, oldest first
 * per owner, as `deliverClaims` does. Outcomes are per owner and entry, so each entry settles
 * (and is retried) on its own whatever the channel did with the digest.
 */
export async function deliverRunClaims(
  owned: readonly OwnedClaims[],
  notifiers: readonly Notifier[],
  down: DownChannels,
  logger: AlertLogger,
  signal?: AbortSignal,
): Promise<Map<string, DeliveryOutcome[]>> {
  // A digest only when there is more than one notification for the channel: one alone is sent
  // with the others, in order, like any channel.
  const entriesOn = (channel: string) =>
    owned.reduce((sum, o) => sum + o.claims.filter((c) => c.channels.includes(channel)).length, 0);
  const batched = new Set(
    notifiers.filter((n) => n.deliverBatch && entriesOn(n.channel) > 1).map((n) => n.channel),
  );
  const outcomes = new Map<string, Map<string, DeliveryOutcome>>();
  const record = (owner: string, outcome: DeliveryOutcome) => {
    const byId = outcomes.get(owner) ?? new Map<string, DeliveryOutcome>();
    byId.set(outcome.id, merge(byId.get(outcome.id), outcome));
    outcomes.set(owner, byId);
  };
  for (const channel of batched) {
    const notifier = notifiers.find((n) => n.channel === channel) as Notifier;
    const entries = owned.flatMap(({ owner, claims }) =>
      claims.filter((c) => c.channels.includes(channel)).map((c) => ({ owner, claim: c })),
    );
    const done = (fields: Partial<DeliveryOutcome>) => {
      for (const { owner, claim } of entries) {
        record(owner, {
          id: claim.entry.notification.id,
          delivered: [],
          pending: [],
          failed: [],
          ...fields,
        });
      }
    };
    if (down.has(channel) || signal?.aborted) {
      done({ pending: [channel] });
      continue;
    }
    try {
      await notifier.deliverBatch?.(
        entries.map((e) => e.claim.entry.notification),
        signal,
      );
      done({ delivered: [channel] });
    } catch (error) {
      const message = errorMessage(error);
      const lastError = `${channel}: ${message}`;
      if (isPermanent(error)) {
        done({ failed: [{ channel, error: message }], lastError });
        logger.error(
          `${channel} refused a digest of ${entries.length} notifications for good (not retried; healthcheck replay sends them again once fixed): ${message}`,
          { channel },
        );
      } else {
        down.add(channel);
        done({ pending: [channel], lastError });
        logger.warn(
          `digest of ${entries.length} notifications not delivered on ${channel}; kept for the next run: ${message}`,
          { channel },
        );
      }
    }
  }
  await mapWithConcurrency(owned, 16, async ({ owner, claims }) => {
    const rest = claims
      .map((c) => ({ ...c, channels: c.channels.filter((ch) => !batched.has(ch)) }))
      .filter((c) => c.channels.length > 0);
    for (const outcome of await deliverClaims(rest, notifiers, down, logger, signal)) {
      record(owner, outcome);
    }
  });
  return new Map([...outcomes].map(([owner, byId]) => [owner, [...byId.values()]]));
}
