import type { CheckOutcome } from '../../core/result.ts';
import type { Status } from '../../core/status.ts';
import { HttpRequestError, httpRequest, jsonBody } from '../../http/index.ts';
import { remainingBudget } from '../../shared/abort.ts';
import type { CheckContext } from '../plugin.ts';
import { type AlertmanagerCheckConfig, defaultStatusBySeverity, matcherList } from './config.ts';
import { evaluateAlerts, type GettableAlert } from './evaluate-alerts.ts';
import { matcherText, parseMatcher } from './matchers.ts';

/** Stops this much before the engine's deadline so a hung Alertmanager is reported as such. */
const reportMarginMs = 50;

/** Not Alertmanager's API v2: wrong URL, a proxy's login page, an old Alertmanager. */
export class AlertmanagerAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertmanagerAnswerError';
  }
}

function alertsUrl(base: string): string {
  return `${base.replace(/\/+$/, '').replace(/\/api\/v2(\/alerts)?$/, '')}/api/v2/alerts`;
}

async function fetchAlerts(
  config: AlertmanagerCheckConfig,
  query: Record<string, string | string[]>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<GettableAlert[]> {
  const response = await httpRequest({
    url: alertsUrl(config.url),
    query,
    ...(config.headers ? { headers: config.headers } : {}),
    ...(config.auth ? { auth: config.auth } : {}),
    ...(config.ca ? { ca: config.ca } : {}),
    insecure: config.insecure,
    timeoutMs,
    reportTimeoutAsMs: config.timeoutSeconds * 1000,
    maxBodyBytes: 16 * 1024 * 1024,
    signal,
  });
  if (response.status === 401 || response.status === 403) {
    throw new AlertmanagerAnswerError(`HTTP ${response.status}: check auth and headers`);
  }
  if (response.status === 404) {
    throw new AlertmanagerAnswerError(
      'HTTP 404 for /api/v2/alerts: is url the Alertmanager base URL (with its --web.route-prefix)?',
    );
  }
  if (response.status === 400) {
    throw new AlertmanagerAnswerError(
      `HTTP 400: Alertmanager rejected the request: ${response.text.slice(0, 200)}`,
    );
  }
  if (response.status !== 200)
    throw new AlertmanagerAnswerError(`HTTP ${response.status} ${response.statusText}`);
  const body = jsonBody(response);
  if (
    !Array.isArray(body) ||
    body.some((a) => typeof a?.labels !== 'object' || a.labels === null)
  ) {
    throw new AlertmanagerAnswerError(
      'the answer is not an API v2 alert list (is url an Alertmanager?)',
    );
  }
  return body as GettableAlert[];
}

function policyStatuses(config: AlertmanagerCheckConfig): Record<string, Status> {
  const merged: Record<string, Status> = { ...defaultStatusBySeverity };
  for (const [severity, status] of Object.entries(config.statusBySeverity ?? {}))
    merged[severity.toLowerCase()] = status;
  return merged;
}

export async function run(
  config: AlertmanagerCheckConfig,
  context: CheckContext,
): Promise<CheckOutcome> {
  const remaining = remainingBudget(config.timeoutSeconds * 1000, context.now, reportMarginMs);
  const matchers = matcherList(config.matchers).map((text) => {
    const parsed = parseMatcher(text);
    return typeof parsed === 'string' ? text : matcherText(parsed);
  });
  const watchdogName =
    config.expectWatchdog === true ? 'Watchdog' : config.expectWatchdog || undefined;
  const where = alertsUrl(config.url).replace(/\/api\/v2\/alerts$/, '');
  try {
    const [alerts, watchdog] = await Promise.all([
      fetchAlerts(
        config,
        {
          active: 'true',
          silenced: String(config.includeSilenced),
          inhibited: String(config.includeInhibited),
          unprocessed: 'true',
          ...(matchers.length > 0 ? { filter: matchers } : {}),
        },
        remaining(),
        context.signal,
      ),
      watchdogName
        ? fetchAlerts(
            config,
            { active: 'true', filter: [`alertname=${JSON.stringify(watchdogName)}`] },
            remaining(),
            context.signal,
          )
        : Promise.resolve(undefined),
    ]);
    const outcome = evaluateAlerts(
      alerts,
      {
        ignoreAlertnames: config.ignoreAlertnames,
        minFiringMinutes: config.minFiringMinutes,
        severityLabel: config.severityLabel,
        statusBySeverity: policyStatuses(config),
        listLimit: config.listLimit,
        matchers,
      },
      context.now,
      watchdogName ? { name: watchdogName, firing: (watchdog ?? []).length > 0 } : undefined,
    );
    return {
      ...outcome,
      details: { url: where, ...(matchers.length > 0 ? { matchers } : {}), ...outcome.details },
    };
  } catch (error) {
    if (error instanceof HttpRequestError || error instanceof AlertmanagerAnswerError) {
      const reason = error instanceof HttpRequestError ? error.reason : error.message;
      return {
        status: 'unknown',
        summary: `Alertmanager ${where}: ${reason}`,
        details: { url: where },
      };
    }
    throw error;
  }
}
