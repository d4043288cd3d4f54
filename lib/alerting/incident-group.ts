import * as z from 'zod';
import { type Severity, severities } from '../config/fields.ts';
import { type Status, statuses, worstStatus } from '../core/status.ts';
import { boundedSummary } from './bounded.ts';
import { type PlannedGroup, worstFirst } from './grouping.ts';
import type { AlertNotification, GroupMemberNotice, OutboxEntry } from './notification.ts';
import {
  type Claim,
  type ClaimOptions,
  claim,
  type DeliveryOutcome,
  type DroppedDelivery,
  enqueue,
  settle,
} from './outbox.ts';
import type { ResultStore } from './result-store.ts';
import { OutboxEntrySchema } from './stored-state.ts';
import type { VersionedItem } from './update-state.ts';

/**
 * A grouped incident: one page for many checks of a suite that failed together (grouping.ts
 * decides who). Persisted through the ResultStore port (`getIncidentGroups`/`putIncidentGroup`),
 * versioned like a check's STATE, with its own outbox: the grouped trigger and its resolve are
 * delivered, retried and coalesced exactly like a check's notifications. Members keep their own
 * STATE (and `alert.group` pointing here); the incident resolves when its last member resolves.
 */
export interface StoredIncidentGroup {
  /** Also the dedup key of its notifications. */
  readonly key: string;
  readonly suite: string | null;
  readonly version: number;
  readonly causeKey?: string;
  readonly cause?: string;
  readonly openedAt: string;
  /** Members not resolved yet. */
  readonly members: readonly string[];
  /** How many checks the incident had in all (members that resolved included). */
  readonly total: number;
  readonly severity: Severity;
  readonly status: Status;
  /** Set once the last member resolved; the group stays until its resolve is delivered. */
  readonly closedAt?: string;
  readonly outbox: readonly OutboxEntry[];
  readonly openOn?: readonly string[];
}

/** Members listed in one grouped notification; the count says how many there are in all. */
export const maxListedMembers = 200;

/** Closed groups whose deliveries are done are kept this long (then adapters may drop them). */
export const closedGroupRetentionSeconds = 7 * 86_400;

const StatusSchema = z.enum(statuses);

const StoredIncidentGroupSchema = z.object({
  key: z.string().min(1),
  suite: z.string().nullable(),
  version: z.int().min(0),
  causeKey: z.string().optional(),
  cause: z.string().optional(),
  openedAt: z.string(),
  members: z.array(z.string()),
  total: z.int().min(0),
  severity: z.enum(severities),
  status: StatusSchema,
  closedAt: z.string().optional(),
  outbox: z.array(OutboxEntrySchema).default([]),
  openOn: z.array(z.string()).optional(),
});

/** Reads a persisted group back (any adapter); undefined for an item that is not one. */
export function parseIncidentGroup(raw: unknown): StoredIncidentGroup | undefined {
  const parsed = StoredIncidentGroupSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { causeKey, cause, closedAt, openOn, ...rest } = parsed.data;
  return {
    ...rest,
    outbox: rest.outbox as OutboxEntry[],
    ...(causeKey ? { causeKey } : {}),
    ...(cause ? { cause } : {}),
    ...(closedAt ? { closedAt } : {}),
    ...(openOn ? { openOn } : {}),
  };
}

/** What adapters persist for a group (they add their own key attributes). */
export function incidentGroupItem(group: StoredIncidentGroup): StoredIncidentGroup {
  return group;
}

/** A group that only waits to be forgotten: closed, nothing left to deliver. */
export function groupIsDone(group: StoredIncidentGroup): boolean {
  return group.closedAt !== undefined && group.outbox.length === 0;
}

/**
 * A member's notification told through the group in this run: the trigger of a check that joins,
 * or the escalation or reminder of one already in it.
 */
export interface JoiningMember {
  readonly notification: AlertNotification;
}

export interface GroupChange {
  /** The group as planned this run, when this run opens it. */
  readonly planned?: PlannedGroup;
  readonly joining: readonly JoiningMember[];
  /** Members whose own resolve happened in this run. */
  readonly leaving: readonly string[];
  /** For a group that is not stored (lost): what its resolve needs. */
  readonly orphan?: {
    readonly key: string;
    readonly suite: string | null;
    readonly severity: Severity;
  };
}

export interface GroupDecision {
  readonly next?: Omit<StoredIncidentGroup, 'version'>;
  readonly notification?: AlertNotification;
  readonly claims: readonly Claim[];
  readonly dropped: readonly DroppedDelivery[];
}

function mostUrgent(list: readonly Severity[]): Severity {
  return [...list].sort()[0] ?? 'P4';
}

function countText(n: number): string {
  return `${n} check${n === 1 ? '' : 's'}`;
}

function memberNotice(m: JoiningMember): GroupMemberNotice {
  const n = m.notification;
  return {
    check: n.check,
    ...(n.name ? { name: n.name } : {}),
    status: n.status,
    severity: n.severity,
    summary: boundedSummary(n.summary).slice(0, 300),
  };
}

/** A grouped incident's notification: its own id and dedup key, its cause and members. */
function groupNotification(
  group: Omit<StoredIncidentGroup, 'version'>,
  event: AlertNotification['event'],
  summary: string,
  members: readonly GroupMemberNotice[],
  now: Date,
): AlertNotification {
  const at = now.toISOString();
  const cause = group.cause ? { cause: group.cause } : {};
  return {
    id: `${group.key}:${event}:${at}`,
    check: group.key,
    name: boundedSummary(summary).slice(0, 200),
    suite: group.suite,
    event,
    status: event === 'resolve' ? 'ok' : group.status,
    previousStatus: event === 'trigger' ? 'ok' : group.status,
    severity: group.severity,
    summary: boundedSummary(summary),
    details: { ...cause, count: group.total },
    since: group.openedAt,
    at,
    dedupKey: group.key,
    group: { ...cause, count: group.total, members: members.slice(0, maxListedMembers) },
  };
}

/** The grouped trigger: "50 checks failing: connect ECONNREFUSED 127.0.0.1", members worst first. */
export function groupTrigger(
  group: Omit<StoredIncidentGroup, 'version'>,
  joining: readonly JoiningMember[],
  now: Date,
  event: 'trigger' | 'reminder' = 'trigger',
): AlertNotification {
  const what = `${countText(event === 'reminder' ? group.members.length : group.total)} ${event === 'reminder' ? 'still failing' : 'failing'}`;
  const summary = group.cause
    ? `${what}: ${group.cause}`
    : `${what} in ${group.suite ? `suite ${group.suite}` : 'this run'}`;
  return groupNotification(group, event, summary, worstFirst(joining.map(memberNotice)), now);
}

function groupResolve(group: Omit<StoredIncidentGroup, 'version'>, now: Date): AlertNotification {
  const what = `${countText(group.total)} ok again`;
  return groupNotification(
    group,
    'resolve',
    // The cause is what was wrong, not what is: "ok again (were failing: connection refused ...)".
    group.cause ? `${what} (were failing: ${group.cause})` : what,
    [],
    now,
  );
}

/**
 * One run's change to one group, as a pure function: opened (with its trigger), joined quietly
 * by later checks with the same cause, left by members that resolved (the resolve goes out when
 * the last one leaves), and this run's delivery claims on its outbox.
 */
export function decideGroup(
  current: StoredIncidentGroup | undefined,
  change: GroupChange,
  options: {
    readonly now: Date;
    readonly route: (n: AlertNotification) => readonly string[];
    readonly claim: ClaimOptions;
  },
): GroupDecision {
  const { now } = options;
  let base: Omit<StoredIncidentGroup, 'version'> | undefined;
  let notification: AlertNotification | undefined;
  if (!current && !change.planned && change.orphan && change.leaving.length > 0) {
    // The group's record is gone (a store salvaged by doctor) while a member still points at it:
    // resolve the incident now rather than leave it open for ever.
    base = {
      key: change.orphan.key,
      suite: change.orphan.suite,
      openedAt: now.toISOString(),
      members: [],
      total: change.leaving.length,
      severity: change.orphan.severity,
      status: 'critical',
      closedAt: now.toISOString(),
      outbox: [],
      openOn: [],
    };
    notification = groupResolve(base, now);
  } else if (!current) {
    const planned = change.planned;
    if (!planned || change.joining.length === 0) return { claims: [], dropped: [] };
    const members = change.joining.map((m) => m.notification.check);
    base = {
      key: planned.key,
      suite: change.joining[0]?.notification.suite ?? null,
      ...(planned.causeKey ? { causeKey: planned.causeKey } : {}),
      ...(planned.cause ? { cause: planned.cause } : {}),
      openedAt: now.toISOString(),
      members,
      total: members.length,
      severity: mostUrgent(change.joining.map((m) => m.notification.severity)),
      status: worstStatus(change.joining.map((m) => m.notification.status)),
      outbox: [],
      openOn: [],
    };
    notification = groupTrigger(base, change.joining, now);
  } else {
    const { version: _version, ...rest } = current;
    const joined = change.joining
      .map((m) => m.notification.check)
      .filter((c) => !rest.members.includes(c));
    const members = [...rest.members, ...joined].filter((c) => !change.leaving.includes(c));
    const told = change.joining.filter((m) => rest.members.includes(m.notification.check));
    const status = worstStatus([rest.status, ...told.map((m) => m.notification.status)]);
    base = { ...rest, members, total: rest.total + joined.length, status };
    if (!rest.closedAt && members.length === 0) {
      base = { ...base, closedAt: now.toISOString() };
      notification = groupResolve(base, now);
    } else if (!rest.closedAt && status !== rest.status) {
      // A member escalated past the group's status: the incident is told again, at the new one.
      notification = groupTrigger(base, told, now, 'trigger');
    } else if (!rest.closedAt && told.some((m) => m.notification.event === 'reminder')) {
      // Members remind together (same settings, same start): one reminder for the incident.
      notification = groupTrigger(base, told, now, 'reminder');
    }
  }
  const queued = notification
    ? enqueue(base.outbox, base.openOn, notification, options.route(notification), now)
    : { outbox: [...base.outbox], dropped: [] };
  const claimed = claim(queued.outbox, options.claim);
  const next = { ...base, outbox: claimed.outbox };
  const unchanged =
    current !== undefined &&
    !notification &&
    claimed.claims.length === 0 &&
    claimed.dropped.length === 0 &&
    next.members.length === current.members.length &&
    next.total === current.total &&
    next.status === current.status;
  return {
    ...(unchanged ? {} : { next }),
    ...(notification ? { notification } : {}),
    claims: claimed.claims,
    dropped: [...queued.dropped, ...claimed.dropped],
  };
}

/** Records what this run's deliveries of a group's entries did (see `settle`). */
export function settleGroup(
  current: StoredIncidentGroup,
  runId: string,
  outcomes: readonly DeliveryOutcome[],
  now: Date,
): { next: Omit<StoredIncidentGroup, 'version'>; dropped: DroppedDelivery[] } {
  const { version: _version, openOn: _openOn, ...rest } = current;
  const settled = settle(current.outbox, current.openOn, runId, outcomes, now);
  return {
    next: {
      ...rest,
      outbox: settled.outbox,
      ...(settled.openOn ? { openOn: settled.openOn } : {}),
    },
    dropped: settled.dropped,
  };
}

/** A group as a versioned item of the store, for `updateWithRetry`. */
export function groupItem(
  store: ResultStore,
  suite: string | null,
  key: string,
): VersionedItem<StoredIncidentGroup> {
  return {
    id: key,
    // Done groups too: a closed incident must be seen as closed, not as missing (and re-created).
    read: async (signal) =>
      (await store.getIncidentGroups(suite, signal, { includeDone: true })).find(
        (g) => g.key === key,
      ),
    write: (next, expected, signal) => store.putIncidentGroup(next, expected, signal),
  };
}
