import {
  type AlertNotification,
  dedupKeyOf,
  type FailedChannel,
  type OutboxEntry,
  opensIncident,
} from './notification.ts';

/**
 * The outbox as pure functions: what is waiting to be delivered, per channel, for the incidents
 * of one STATE item. The rules that keep it small and right whatever the channels do:
 *
 * - Per incident (dedup key) and channel at most one entry waits: a newer notification supersedes
 *   older undelivered ones on the channels it goes to. The channel only ever needs the latest
 *   truth, so a long outage leaves one entry, not one per run, and a replay never sends a stale
 *   trigger after a resolve.
 * - A trigger that never reached a channel and its resolve cancel out on that channel.
 * - An entry another run is delivering (leased) is never superseded: it may be landing right now,
 *   so what supersedes it waits behind it on that channel.
 * - A channel that is not configured any more loses its entries (with a reason to log).
 * - Whatever the rules leave, at most `maxOutboxEntries` entries are kept (oldest dropped).
 */

/** Far more than the rules ever leave (one per channel per incident), so only a bug reaches it. */
export const maxOutboxEntries = 16;

/** What a rule removed, for the log. */
export interface DroppedDelivery {
  readonly notification: string;
  readonly check: string;
  readonly event: AlertNotification['event'];
  readonly channel: string;
  readonly reason: string;
}

export interface OutboxResult {
  readonly outbox: OutboxEntry[];
  readonly dropped: DroppedDelivery[];
}

function leased(entry: OutboxEntry, now: Date): boolean {
  return entry.claimedUntil !== undefined && Date.parse(entry.claimedUntil) > now.getTime();
}

function drop(entry: OutboxEntry, channel: string, reason: string): DroppedDelivery {
  const n = entry.notification;
  return { notification: n.id, check: n.check, event: n.event, channel, reason };
}

function failedOn(entry: OutboxEntry): readonly FailedChannel[] {
  return entry.failed ?? [];
}

function withChannels(
  entry: OutboxEntry,
  channels: readonly string[],
  failed: readonly FailedChannel[],
): OutboxEntry | undefined {
  if (channels.length === 0 && failed.length === 0) return undefined;
  const { failed: _failed, ...rest } = entry;
  return { ...rest, channels, ...(failed.length > 0 ? { failed } : {}) };
}

/**
 * Applies the superseding, cancelling and cap rules. `openOn`: channels with an open incident
 * (undefined: unknown, then nothing is cancelled). Newest entries are the last ones.
 */
export function coalesce(
  outbox: readonly OutboxEntry[],
  openOn: readonly string[] | undefined,
  now: Date,
): OutboxResult {
  const dropped: DroppedDelivery[] = [];
  const slotOf = (entry: OutboxEntry, channel: string) =>
    `${dedupKeyOf(entry.notification)}|${channel}`;
  // Channels of an incident with a delivery in flight: what comes after must wait, not cancel.
  const inFlight = new Set<string>();
  for (const entry of outbox) {
    if (leased(entry, now)) for (const c of entry.channels) inFlight.add(slotOf(entry, c));
  }
  const kept: (OutboxEntry | undefined)[] = [...outbox];
  /** Slots already held by a newer entry. */
  const held = new Set<string>();
  /** Slot -> index of the newest entry when it is a resolve (it may cancel an unsent trigger). */
  const resolves = new Map<string, number>();
  const cancelResolve = (slot: string, channel: string): void => {
    const index = resolves.get(slot);
    resolves.delete(slot);
    if (index === undefined || openOn === undefined || openOn.includes(channel)) return;
    if (inFlight.has(slot)) return;
    const resolve = kept[index];
    if (!resolve) return;
    dropped.push(drop(resolve, channel, 'its trigger never reached this channel'));
    kept[index] = withChannels(
      resolve,
      resolve.channels.filter((c) => c !== channel),
      failedOn(resolve).filter((f) => f.channel !== channel),
    );
  };
  // Newest first: the first entry seen for a slot is the one that stays.
  for (let i = outbox.length - 1; i >= 0; i--) {
    const entry = outbox[i] as OutboxEntry;
    if (leased(entry, now)) continue;
    const keep = (channel: string): boolean => {
      const slot = slotOf(entry, channel);
      if (!held.has(slot)) {
        held.add(slot);
        if (entry.notification.event === 'resolve') resolves.set(slot, i);
        return true;
      }
      dropped.push(drop(entry, channel, 'superseded by a newer notification'));
      if (opensIncident(entry.notification)) cancelResolve(slot, channel);
      return false;
    };
    kept[i] = withChannels(
      entry,
      entry.channels.filter(keep),
      failedOn(entry).filter((f) => keep(f.channel)),
    );
  }
  const result = kept.filter((e): e is OutboxEntry => e !== undefined);
  while (result.length > maxOutboxEntries) {
    const index = result.findIndex((e) => !leased(e, now));
    const [oldest] = result.splice(index === -1 ? 0 : index, 1);
    for (const channel of oldest?.channels ?? []) {
      dropped.push(
        drop(oldest as OutboxEntry, channel, `outbox full (${maxOutboxEntries} entries)`),
      );
    }
  }
  return { outbox: result, dropped };
}

/**
 * Adds a notification for the channels that route it, then coalesces. A resolve also goes to
 * every channel where the incident is open, so a check whose severity changed while it was
 * paging still gets its resolve where its trigger went.
 */
export function enqueue(
  outbox: readonly OutboxEntry[],
  openOn: readonly string[] | undefined,
  notification: AlertNotification,
  routed: readonly string[],
  now: Date,
): OutboxResult {
  const channels = new Set(routed);
  if (notification.event === 'resolve') for (const channel of openOn ?? []) channels.add(channel);
  if (channels.size === 0) return coalesce(outbox, openOn, now);
  return coalesce([...outbox, { notification, channels: [...channels], attempts: 0 }], openOn, now);
}

/** One entry this run delivers, and on which channels (the rest of its channels wait). */
export interface Claim {
  readonly entry: OutboxEntry;
  readonly channels: readonly string[];
}

export interface ClaimOptions {
  readonly runId: string;
  readonly now: Date;
  readonly leaseUntil: Date;
  /** The channels this runtime delivers to; pending entries for any other are dropped. */
  readonly channels: readonly string[];
}

/**
 * Leases what this run can deliver now: every entry not leased by a live run, on its pending
 * channels that no older in-flight entry of the same incident holds. Oldest first.
 */
export function claim(
  outbox: readonly OutboxEntry[],
  options: ClaimOptions,
): OutboxResult & { claims: Claim[] } {
  const known = new Set(options.channels);
  const dropped: DroppedDelivery[] = [];
  const claims: Claim[] = [];
  const blocked = new Set<string>();
  const next: OutboxEntry[] = [];
  for (const original of outbox) {
    const removed = original.channels.filter((c) => !known.has(c));
    for (const channel of removed) {
      dropped.push(drop(original, channel, `channel ${channel} is no longer configured`));
    }
    const failedGone = failedOn(original).filter((f) => !known.has(f.channel));
    for (const f of failedGone) {
      dropped.push(drop(original, f.channel, `channel ${f.channel} is no longer configured`));
    }
    const entry = withChannels(
      original,
      original.channels.filter((c) => known.has(c)),
      failedOn(original).filter((f) => known.has(f.channel)),
    );
    if (!entry) continue;
    const key = dedupKeyOf(entry.notification);
    if (leased(entry, options.now) && entry.claimedBy !== options.runId) {
      for (const channel of entry.channels) blocked.add(`${key}|${channel}`);
      next.push(entry);
      continue;
    }
    const channels = entry.channels.filter((c) => !blocked.has(`${key}|${c}`));
    if (channels.length === 0) {
      next.push(entry);
      continue;
    }
    const claimed: OutboxEntry = {
      ...entry,
      claimedBy: options.runId,
      claimedUntil: options.leaseUntil.toISOString(),
    };
    claims.push({ entry: claimed, channels });
    next.push(claimed);
  }
  return { outbox: next, dropped, claims };
}

/** What delivering one claimed entry did, per channel. */
export interface DeliveryOutcome {
  readonly id: string;
  readonly delivered: readonly string[];
  /** Not delivered this time (down, rate limited, skipped behind a failure): retried later. */
  readonly pending: readonly string[];
  /** Refused for good. */
  readonly failed: readonly { readonly channel: string; readonly error: string }[];
  readonly lastError?: string;
}

/**
 * Records what this run's deliveries did: accepted channels leave the entry (and open or close
 * the incident there), permanent refusals move to `failed`, the rest stay pending with one more
 * attempt counted. Leases are released; then the rules run again.
 */
export function settle(
  outbox: readonly OutboxEntry[],
  openOn: readonly string[] | undefined,
  runId: string,
  outcomes: readonly DeliveryOutcome[],
  now: Date,
): OutboxResult & { openOn: string[] | undefined } {
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  const open = openOn === undefined ? undefined : new Set(openOn);
  const next: OutboxEntry[] = [];
  for (const entry of outbox) {
    const outcome = byId.get(entry.notification.id);
    if (!outcome || entry.claimedBy !== runId) {
      next.push(entry);
      continue;
    }
    for (const channel of outcome.delivered) {
      if (opensIncident(entry.notification)) open?.add(channel);
      else open?.delete(channel);
    }
    const refused = new Set(outcome.failed.map((f) => f.channel));
    const done = new Set([...outcome.delivered, ...refused]);
    const failed = [
      ...failedOn(entry).filter((f) => !done.has(f.channel)),
      ...outcome.failed.map((f) => ({ ...f, at: now.toISOString() })),
    ];
    const { claimedBy: _by, claimedUntil: _until, lastError: _last, ...released } = entry;
    const attempted = outcome.delivered.length + outcome.pending.length + outcome.failed.length > 0;
    const kept = withChannels(
      {
        ...released,
        attempts: entry.attempts + (attempted ? 1 : 0),
        ...((outcome.lastError ?? entry.lastError)
          ? { lastError: outcome.lastError ?? entry.lastError }
          : {}),
      },
      entry.channels.filter((c) => !done.has(c)),
      failed,
    );
    if (kept) next.push(kept);
  }
  const nextOpen = open === undefined ? undefined : [...open].sort();
  return { ...coalesce(next, nextOpen, now), openOn: nextOpen };
}

/**
 * Puts permanently refused channels back to pending (the `replay` command), for entries matching
 * `filter`. Only the newest per incident and channel exists, so a replay sends the latest truth.
 */
export function requeueFailed(
  outbox: readonly OutboxEntry[],
  filter: (entry: OutboxEntry, channel: string) => boolean,
): { outbox: OutboxEntry[]; requeued: number } {
  let requeued = 0;
  const next = outbox.map((entry) => {
    const back = failedOn(entry).filter((f) => filter(entry, f.channel));
    if (back.length === 0) return entry;
    requeued += back.length;
    const channels = [...new Set([...entry.channels, ...back.map((f) => f.channel)])];
    const failed = failedOn(entry).filter((f) => !back.includes(f));
    return withChannels({ ...entry, attempts: 0 }, channels, failed) as OutboxEntry;
  });
  return { outbox: next, requeued };
}

/** Counts for `status`: channels waiting and channels that refused for good. */
export function outboxCounts(outbox: readonly OutboxEntry[]): {
  pending: number;
  failed: number;
  lastError?: string;
} {
  let pending = 0;
  let failed = 0;
  let lastError: string | undefined;
  for (const entry of outbox) {
    pending += entry.channels.length;
    failed += failedOn(entry).length;
    const refusal = failedOn(entry).at(-1);
    if (refusal) lastError = `${refusal.channel}: ${refusal.error}`;
    else if (entry.lastError) lastError ??= entry.lastError;
  }
  return { pending, failed, ...(lastError ? { lastError } : {}) };
}
