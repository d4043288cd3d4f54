import type { CheckContext, CheckModule } from '../checks/plugin.ts';
import type { CheckConfig } from '../config/load-config.ts';
import type { SecretResolver } from '../config/references.ts';
import { resolveCheckConfig } from '../config/resolve-check.ts';
import { raceAbort } from '../shared/abort.ts';
import { CheckTimeoutError, errorMessage } from './errors.ts';
import type { CheckOutcome, CheckResult } from './result.ts';
import { boundDetails, redactText } from './sanitize.ts';
import { mapWithConcurrency } from './semaphore.ts';
import { statuses } from './status.ts';

export type CheckLoader = (type: string) => Promise<CheckModule<never>>;

export interface EngineOptions {
  readonly timezone: string;
  /** Finds a check type's implementation (the plugin registry). */
  readonly loadCheck: CheckLoader;
  /** Checks in flight at once. @default 32 */
  readonly concurrency?: number;
  /** The whole run's budget (e.g. the Lambda's remaining time); each check also has its own. */
  readonly signal?: AbortSignal;
  readonly secrets?: SecretResolver;
  readonly now?: () => Date;
  /** The slot the run stands for; checks see it as `context.scheduledTime`. */
  readonly scheduledTime?: Date;
  readonly previous?: (checkId: string) => CheckResult | undefined;
  readonly onStart?: (check: CheckConfig) => void;
  readonly onResult?: (result: CheckResult) => void;
}

const noSecrets: SecretResolver = {
  resolve: async (id) => {
    throw new Error(`no secret resolver configured for "${id}"`);
  },
};

function validOutcome(outcome: unknown): outcome is CheckOutcome {
  const o = outcome as CheckOutcome | undefined;
  return (
    typeof o === 'object' &&
    o !== null &&
    (statuses as readonly string[]).includes(o.status) &&
    typeof o.summary === 'string'
  );
}

async function runOne(
  check: CheckConfig,
  module: CheckModule<never> | Error,
  options: EngineOptions,
): Promise<CheckResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const t0 = performance.now();
  const timeoutMs = Math.round(check.timeoutSeconds * 1000);
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let secrets: string[] = [];
  let outcome: CheckOutcome;
  options.onStart?.(check);
  try {
    if (module instanceof Error) throw module;
    const work = (async () => {
      const resolved = await resolveCheckConfig(check, options.secrets ?? noSecrets, signal);
      secrets = resolved.secrets;
      const previous = options.previous?.(check.id);
      const context: CheckContext = {
        signal,
        now: startedAt,
        timezone: options.timezone,
        ...(options.scheduledTime ? { scheduledTime: options.scheduledTime } : {}),
        ...(previous ? { previous } : {}),
      };
      return module.run(resolved.value as never, context);
    })();
    // Gives up the moment the signal aborts, even if the plugin ignores it.
    const result = await raceAbort(work, signal);
    outcome = validOutcome(result)
      ? result
      : { status: 'unknown', summary: 'check returned a malformed result' };
  } catch (error) {
    outcome = { status: 'unknown', summary: failureSummary(error, signal, deadline, timeoutMs) };
  }
  const finishedAt = now();
  return {
    check: check.id,
    type: check.type,
    status: outcome.status,
    summary: redactText(outcome.summary, secrets),
    details: boundDetails(outcome.details ?? {}, secrets),
    durationMs: Math.round(performance.now() - t0),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
  };
}

/**
 * Imports each check type's code once, before any check starts, so one type's slow first import
 * (client-node, the AWS SDK) neither counts in other checks' durations nor eats their deadlines.
 */
async function loadModules(
  checks: readonly CheckConfig[],
  options: EngineOptions,
): Promise<Map<string, CheckModule<never> | Error>> {
  const types = [...new Set(checks.map((c) => c.type))];
  const loaded = await Promise.all(
    types.map(async (type) => {
      try {
        return [type, await options.loadCheck(type)] as const;
      } catch (error) {
        return [type, error instanceof Error ? error : new Error(String(error))] as const;
      }
    }),
  );
  return new Map<string, CheckModule<never> | Error>(loaded);
}

function failureSummary(
  error: unknown,
  signal: AbortSignal,
  deadline: AbortSignal,
  timeoutMs: number,
): string {
  if (deadline.aborted) return `timed out after ${timeoutMs / 1000}s`;
  if (signal.aborted) {
    const reason = signal.reason instanceof CheckTimeoutError ? `: ${signal.reason.message}` : '';
    return `stopped before finishing: the run's time budget ran out${reason}`;
  }
  return `check failed: ${errorMessage(error)}`;
}

/** Why a check was not started; the next run starts with it (lib/run/execute-run.ts). */
export const skippedSummary = "not run: the run's time budget ended before it started";

function skippedResult(check: CheckConfig, options: EngineOptions): CheckResult {
  const at = (options.now ?? (() => new Date()))().toISOString();
  const reason =
    options.signal?.reason instanceof CheckTimeoutError
      ? ` (${options.signal.reason.message})`
      : '';
  return {
    check: check.id,
    type: check.type,
    status: 'unknown',
    summary: `${skippedSummary}${reason}`,
    details: {},
    durationMs: 0,
    startedAt: at,
    finishedAt: at,
    skipped: true,
  };
}

/**
 * Runs checks concurrently under a cap, in the order given, each under its own deadline. Never
 * throws for a check's sake: a plugin that throws, hangs or returns garbage yields an `unknown`
 * result. Checks still waiting when the run's budget (`signal`) ends are not started: they come
 * back `skipped` (a check cut off mid-run is `unknown`: it did reach its target).
 */
export async function runChecks(
  checks: readonly CheckConfig[],
  options: EngineOptions,
): Promise<CheckResult[]> {
  const modules = await loadModules(checks, options);
  return mapWithConcurrency(checks, options.concurrency ?? 32, async (check) => {
    const module = modules.get(check.type) ?? new Error(`unknown check type "${check.type}"`);
    const result = options.signal?.aborted
      ? skippedResult(check, options)
      : await runOne(check, module, options);
    options.onResult?.(result);
    return result;
  });
}
