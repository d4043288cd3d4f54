/**
 * Integration notes (CLI and Lambda share this path through `executeRun`):
 *
 *   import { executeRun } from '../run/execute-run.ts';
 *   const report = await executeRun(config, { suites: [suiteId] }, {
 *     loadCheck: loadCheckFromRegistry,
 *     secrets,                                   // e.g. new SecretsManagerResolver()
 *     signal,                                    // the Lambda's remaining-time budget
 *     alerting: {
 *       store: new DynamoResultStore({ client: new DynamoDBClient({}), tableName }),
 *       notifiers: [
 *         new EventBridgeNotifier({ client: new EventBridgeClient({}), eventBusName }),
 *         new SnsNotifier({ client: new SNSClient({}), topicArn }),
 *       ],
 *       scheduledTime: new Date(event.scheduledTime),  // EventBridge Scheduler <aws.scheduler.scheduled-time>
 *       logger,                                  // Powertools Logger fits AlertLogger
 *     },
 *   });
 *
 * - Results are appended as `RUN#<scheduledTime or run time>` history items (TTL from
 *   `defaults.retentionDays`) and the alert state machine is applied with ONE conditional write
 *   per check's STATE item (version + scheduled-time token). A duplicate invocation for the same
 *   scheduled time loses that write, sees its token already applied and produces no alerts.
 * - Notifications go to the check's outbox in that same write, then to every notifier that
 *   `accepts()` them; a channel is removed from the outbox only after it accepted. Failures stay
 *   and are retried by the next run (after a lease, so two live runs never deliver one entry
 *   twice). Permanent refusals (PagerDuty 400) are logged and dropped for that channel.
 * - On AWS, PagerDuty is not a notifier of the runner: SNS carries a `severity` attribute and the
 *   forwarder Lambda (functions/pagerduty-forwarder) subscribes with a P1/P2 filter policy.
 *   Table key names and the TTL attribute: `lib/store/table-layout.ts`.
 * - Local CLI: `openEmbeddedStore(stateDir)` (same adapter on dynalite) + PagerDutyNotifier and
 *   LocalEmailNotifier; see lib/cli/local-alerting.ts.
 */
import { randomUUID } from 'node:crypto';
import { durationSeconds } from '../config/fields.ts';
import type { CheckConfig, Config } from '../config/load-config.ts';
import { errorMessage } from '../core/errors.ts';
import type { CheckResult } from '../core/result.ts';
import type { AlertNotice } from '../core/run-report.ts';
import { mapWithConcurrency } from '../core/semaphore.ts';
import { expiresAtFor } from '../store/table-layout.ts';
import type { AlertState } from './alert-state.ts';
import { maintenanceHold } from './maintenance.ts';
import type { AlertNotification, PendingNotification } from './notification.ts';
import type { AlertLogger, Notifier } from './notifier.ts';
import { silentLogger } from './notifier.ts';
import type { ResultStore, StoredCheckState } from './result-store.ts';
import { applyResult } from './state-machine.ts';

export interface AlertingDeps {
  readonly store: ResultStore;
  readonly notifiers: readonly Notifier[];
  readonly logger?: AlertLogger;
  /** The run's scheduled time; runs repeating an already applied one alert nothing. */
  readonly scheduledTime?: Date;
  /** Identifies this run's delivery leases. @default a random UUID */
  readonly runId?: string;
  /** How long a run may hold outbox entries it is delivering. @default 120 */
  readonly leaseSeconds?: number;
  /**
   * Bounds reading state, recording results and delivering. Separate from the checks' budget on
   * purpose: when that budget runs out the results must still be recorded. @default no limit
   */
  readonly signal?: AbortSignal;
}

export interface ProcessRunInput {
  readonly config: Config;
  readonly checks: readonly CheckConfig[];
  readonly suite: string | null;
  readonly results: readonly CheckResult[];
  readonly now: Date;
  /** States already read before the run (to give checks their previous result). */
  readonly states?: Map<string, StoredCheckState>;
  readonly signal?: AbortSignal;
}

const maxWriteAttempts = 8;

class StoreContentionError extends Error {
  constructor(check: string) {
    super(`could not update the alert state of ${check}: too many concurrent writers`);
    this.name = 'StoreContentionError';
  }
}

interface Decided {
  readonly duplicate: boolean;
  readonly state?: StoredCheckState;
  readonly claimed: readonly PendingNotification[];
  readonly notification?: AlertNotification;
  readonly held?: AlertNotice;
}

function claimable(entry: PendingNotification, now: Date): boolean {
  return !entry.claimedUntil || Date.parse(entry.claimedUntil) <= now.getTime();
}

/** Records one check's result and applies the state machine with a conditional write. */
async function decide(
  input: ProcessRunInput,
  deps: AlertingDeps,
  check: CheckConfig,
  result: CheckResult,
  runId: string,
): Promise<Decided> {
  const { store } = deps;
  const token = deps.scheduledTime?.toISOString();
  let current = input.states?.get(check.id);
  // The first attempt may use the state read before the checks ran; a conflict forces a re-read.
  let preloaded = input.states !== undefined;
  for (let attempt = 0; attempt < maxWriteAttempts; attempt++) {
    if (!preloaded) {
      current = (await store.getStates([check.id], input.signal)).get(check.id);
    }
    preloaded = false;
    if (token && current?.lastToken && current.lastToken >= token) {
      return { duplicate: true, claimed: [] };
    }
    const hold = maintenanceHold(
      input.config.maintenanceWindows,
      check.id,
      input.config.timezone,
      input.now,
    );
    const transition = applyResult({
      previous: current?.alert,
      result,
      check: {
        ...check,
        ...(check.remindEvery ? { remindEverySeconds: durationSeconds(check.remindEvery) } : {}),
      },
      suite: input.suite,
      now: input.now,
      ...(hold ? { hold } : {}),
    });
    const outbox: PendingNotification[] = [...transition.state.outbox];
    if (transition.notification) {
      const channels = deps.notifiers
        .filter((n) => n.accepts(transition.notification as AlertNotification))
        .map((n) => n.channel);
      outbox.push({ notification: transition.notification, channels, attempts: 0 });
    }
    const leaseUntil = new Date(
      input.now.getTime() + (deps.leaseSeconds ?? 120) * 1000,
    ).toISOString();
    const claimedIds = new Set<string>();
    const leased = outbox
      .filter((e) => e.channels.length > 0)
      .map((e) => {
        if (!claimable(e, input.now)) return e;
        claimedIds.add(e.notification.id);
        return { ...e, claimedBy: runId, claimedUntil: leaseUntil };
      });
    const alert: AlertState = { ...transition.state, outbox: leased };
    const next: StoredCheckState = {
      check: check.id,
      version: (current?.version ?? 0) + 1,
      ...((token ?? current?.lastToken) ? { lastToken: token ?? current?.lastToken } : {}),
      alert,
      lastResult: result,
    };
    const written = await store.putState(
      next,
      { expectedVersion: current?.version, ...(token ? { newToken: token } : {}) },
      input.signal,
    );
    if (written) {
      const held: AlertNotice | undefined = transition.held
        ? {
            check: check.id,
            event: transition.held.event,
            severity: check.severity,
            status: transition.held.status,
            held: transition.held.reason,
          }
        : undefined;
      return {
        duplicate: false,
        state: next,
        claimed: leased.filter((e) => claimedIds.has(e.notification.id)),
        ...(transition.notification ? { notification: transition.notification } : {}),
        ...(held ? { held } : {}),
      };
    }
  }
  throw new StoreContentionError(check.id);
}

interface DeliveryOutcome {
  readonly id: string;
  readonly delivered: string[];
  readonly pending: string[];
  readonly failed: string[];
  readonly lastError?: string;
}

/** Delivers claimed entries oldest first; a channel that failed skips later ones (no resolve before its trigger). */
async function deliver(
  claimed: readonly PendingNotification[],
  notifiers: readonly Notifier[],
  logger: AlertLogger,
  signal?: AbortSignal,
): Promise<DeliveryOutcome[]> {
  const blocked = new Set<string>();
  const outcomes: DeliveryOutcome[] = [];
  for (const entry of claimed) {
    const n = entry.notification;
    const outcome: DeliveryOutcome = { id: n.id, delivered: [], pending: [], failed: [] };
    let lastError: string | undefined;
    for (const channel of entry.channels) {
      const notifier = notifiers.find((x) => x.channel === channel);
      if (!notifier || blocked.has(channel)) {
        outcome.pending.push(channel);
        continue;
      }
      try {
        await notifier.deliver(n, signal);
        outcome.delivered.push(channel);
      } catch (error) {
        lastError = `${channel}: ${errorMessage(error)}`;
        if ((error as { permanent?: boolean }).permanent) {
          outcome.failed.push(channel);
          logger.error(`dropping ${n.event} for ${n.check} on ${channel}: ${errorMessage(error)}`, {
            notification: n.id,
          });
        } else {
          outcome.pending.push(channel);
          blocked.add(channel);
          logger.warn(
            `${n.event} for ${n.check} not delivered on ${channel}; kept for the next run: ${errorMessage(error)}`,
            { notification: n.id },
          );
        }
      }
    }
    outcomes.push(lastError ? { ...outcome, lastError } : outcome);
  }
  return outcomes;
}

/** Removes delivered channels from the outbox and releases this run's leases (re-read, conditional). */
async function settle(
  store: ResultStore,
  checkId: string,
  runId: string,
  outcomes: readonly DeliveryOutcome[],
  signal?: AbortSignal,
): Promise<void> {
  if (outcomes.length === 0) return;
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  for (let attempt = 0; attempt < maxWriteAttempts; attempt++) {
    const current = (await store.getStates([checkId], signal)).get(checkId);
    if (!current) return;
    const outbox: PendingNotification[] = [];
    for (const entry of current.alert.outbox) {
      const outcome = byId.get(entry.notification.id);
      if (!outcome || entry.claimedBy !== runId) {
        outbox.push(entry);
        continue;
      }
      const done = new Set([...outcome.delivered, ...outcome.failed]);
      const channels = entry.channels.filter((c) => !done.has(c));
      if (channels.length === 0) continue;
      const { claimedBy: _by, claimedUntil: _until, ...released } = entry;
      outbox.push({
        ...released,
        channels,
        attempts: entry.attempts + 1,
        ...(outcome.lastError ? { lastError: outcome.lastError } : {}),
      });
    }
    const next: StoredCheckState = {
      ...current,
      version: current.version + 1,
      alert: { ...current.alert, outbox },
    };
    if (await store.putState(next, { expectedVersion: current.version }, signal)) return;
  }
  throw new StoreContentionError(checkId);
}

function noticeFor(
  n: AlertNotification,
  outcome: DeliveryOutcome | undefined,
  retry: boolean,
): AlertNotice {
  return {
    check: n.check,
    event: n.event,
    severity: n.severity,
    status: n.status,
    previousStatus: n.previousStatus,
    at: n.at,
    delivered: outcome?.delivered ?? [],
    pending: outcome?.pending ?? [],
    ...(outcome?.failed.length ? { failed: outcome.failed } : {}),
    ...(retry ? { retry: true } : {}),
  };
}

/**
 * After the checks ran: record history, apply the alert state machine per check, deliver, and
 * mark delivered. Returns the run's `alerts` (SPEC.md): new notifications, retried ones and held
 * ones. Throws only when the store itself fails; then nothing was marked sent.
 */
export async function processRun(
  input: ProcessRunInput,
  deps: AlertingDeps,
): Promise<AlertNotice[]> {
  const logger = deps.logger ?? silentLogger;
  const runId = deps.runId ?? randomUUID();
  const checksById = new Map(input.checks.map((c) => [c.id, c]));
  const expiresAt = expiresAtFor(input.now, input.config.defaults.retentionDays);
  const recorded = input.results.filter((result) => checksById.has(result.check));
  await deps.store.appendRuns(
    recorded.map((result) => ({
      at: result.startedAt,
      suite: input.suite,
      ...(deps.scheduledTime ? { scheduledTime: deps.scheduledTime.toISOString() } : {}),
      result,
    })),
    expiresAt,
    input.signal,
  );
  const perCheck = await mapWithConcurrency(recorded, 16, async (result) => {
    const check = checksById.get(result.check);
    if (!check) return [];
    const decided = await decide(input, deps, check, result, runId);
    if (decided.duplicate) {
      logger.info(`${check.id}: scheduled time already processed; no alerts`, {
        scheduledTime: deps.scheduledTime?.toISOString(),
      });
      return [];
    }
    const outcomes = await deliver(decided.claimed, deps.notifiers, logger, input.signal);
    await settle(deps.store, check.id, runId, outcomes, input.signal);
    const byId = new Map(outcomes.map((o) => [o.id, o]));
    const notices: AlertNotice[] = decided.claimed
      .filter((e) => e.notification.id !== decided.notification?.id)
      .map((e) => noticeFor(e.notification, byId.get(e.notification.id), true));
    if (decided.notification) {
      notices.push(noticeFor(decided.notification, byId.get(decided.notification.id), false));
    }
    if (decided.held) notices.push(decided.held);
    return notices;
  });
  return perCheck.flat();
}
