import type { CheckOutcome } from '../../core/result.ts';
import { compareStatus, type Status, worstStatus } from '../../core/status.ts';
import { formatDuration } from '../../shared/format-duration.ts';

/** The fields of an Alertmanager API v2 `gettableAlert` the check reads. */
export interface GettableAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly startsAt?: string;
  readonly fingerprint?: string;
  readonly generatorURL?: string;
  readonly status?: {
    readonly state?: string;
    readonly silencedBy?: readonly string[];
    readonly inhibitedBy?: readonly string[];
  };
}

export interface AlertPolicy {
  readonly ignoreAlertnames: readonly string[];
  readonly minFiringMinutes: number;
  readonly severityLabel: string;
  /** Lower-case severity value -> status; unmapped values are `warning`. */
  readonly statusBySeverity: Readonly<Record<string, Status>>;
  readonly listLimit: number;
  /** Matchers as sent, for the summary of a quiet Alertmanager. */
  readonly matchers: readonly string[];
}

export interface WatchdogState {
  readonly name: string;
  readonly firing: boolean;
}

interface Finding {
  readonly alert: GettableAlert;
  readonly status: Status;
  readonly firingMs: number;
}

const shownInSummary = 3;
/** Labels that say where an alert came from, not what it is about. */
const quietLabels = new Set([
  'alertname',
  'prometheus',
  'monitor',
  'alertgroup',
  'receive',
  'replica',
]);

function firingMs(alert: GettableAlert, now: Date): number {
  const started = alert.startsAt ? Date.parse(alert.startsAt) : Number.NaN;
  return Number.isFinite(started) ? Math.max(0, now.getTime() - started) : 0;
}

/** `KafkaConsumerLagHigh{topic=orders} critical for 2h10m`. */
function describeAlert(finding: Finding, policy: AlertPolicy): string {
  const labels = finding.alert.labels;
  const shown = Object.keys(labels)
    .filter((key) => !quietLabels.has(key) && key !== policy.severityLabel)
    .sort()
    .slice(0, 3)
    .map((key) => {
      const value = labels[key] ?? '';
      return `${key}=${value.length > 40 ? `${value.slice(0, 37)}...` : value}`;
    });
  const name = `${labels['alertname'] ?? '(no alertname)'}${shown.length > 0 ? `{${shown.join(',')}}` : ''}`;
  const severity = labels[policy.severityLabel] ?? `no ${policy.severityLabel}`;
  const status = finding.alert.status;
  const state = status?.silencedBy?.length
    ? ' (silenced)'
    : status?.inhibitedBy?.length
      ? ' (inhibited)'
      : '';
  return `${name} ${severity} for ${formatDuration(finding.firingMs)}${state}`;
}

function alertDetails(finding: Finding, policy: AlertPolicy): Record<string, unknown> {
  const { alert } = finding;
  return {
    alertname: alert.labels['alertname'],
    severity: alert.labels[policy.severityLabel],
    status: finding.status,
    firingFor: formatDuration(finding.firingMs),
    startsAt: alert.startsAt,
    labels: alert.labels,
    ...(alert.annotations?.['summary'] ? { summary: alert.annotations['summary'] } : {}),
    ...(alert.annotations?.['description']
      ? { description: alert.annotations['description'] }
      : {}),
    ...(alert.annotations?.['runbook_url'] ? { runbookUrl: alert.annotations['runbook_url'] } : {}),
    state: alert.status?.state,
    ...(alert.status?.silencedBy?.length ? { silencedBy: alert.status.silencedBy } : {}),
    ...(alert.status?.inhibitedBy?.length ? { inhibitedBy: alert.status.inhibitedBy } : {}),
    ...(alert.generatorURL ? { generatorURL: alert.generatorURL } : {}),
  };
}

/**
 * Which alerts are findings and how bad: the morning "no critical alerts" look at Alertmanager.
 * Ignored names and alerts younger than `minFiringMinutes` never count; each severity maps to a
 * status; a missing watchdog means the alerting pipeline itself is silent (critical).
 */
export function evaluateAlerts(
  alerts: readonly GettableAlert[],
  policy: AlertPolicy,
  now: Date,
  watchdog?: WatchdogState,
): CheckOutcome {
  const ignored = new Set(policy.ignoreAlertnames);
  let ignoredCount = 0;
  let youngCount = 0;
  const findings: Finding[] = [];
  for (const alert of alerts) {
    if (ignored.has(alert.labels['alertname'] ?? '')) {
      ignoredCount++;
      continue;
    }
    const ms = firingMs(alert, now);
    if (ms < policy.minFiringMinutes * 60_000) {
      youngCount++;
      continue;
    }
    const severity = (alert.labels[policy.severityLabel] ?? '').toLowerCase();
    const status = policy.statusBySeverity[severity] ?? 'warning';
    if (status === 'ok') {
      ignoredCount++;
      continue;
    }
    findings.push({ alert, status, firingMs: ms });
  }
  findings.sort((a, b) => compareStatus(b.status, a.status) || b.firingMs - a.firingMs);

  const parts: string[] = [];
  const statuses: Status[] = findings.map((f) => f.status);
  if (watchdog && !watchdog.firing) {
    statuses.push('critical');
    parts.push(
      `alerting pipeline silent: ${watchdog.name} is not firing (the dead-man's switch; is Prometheus sending alerts to Alertmanager?)`,
    );
  }
  if (findings.length > 0) {
    const shown = findings.slice(0, shownInSummary).map((f) => describeAlert(f, policy));
    const more = findings.length - shown.length;
    parts.push(
      `${findings.length} alert${findings.length === 1 ? '' : 's'} firing: ${shown.join(', ')}${more > 0 ? `, and ${more} more` : ''}`,
    );
  }
  if (parts.length === 0) {
    const scope = policy.matchers.length > 0 ? ` matching ${policy.matchers.join(', ')}` : '';
    const skipped = [
      ...(youngCount > 0 ? [`${youngCount} younger than ${policy.minFiringMinutes} min`] : []),
      ...(ignoredCount > 0 ? [`${ignoredCount} ignored`] : []),
    ];
    parts.push(`no alerts firing${scope}${skipped.length > 0 ? ` (${skipped.join(', ')})` : ''}`);
  }
  const bySeverity: Record<string, number> = {};
  for (const f of findings) {
    const key = f.alert.labels[policy.severityLabel] ?? '(none)';
    bySeverity[key] = (bySeverity[key] ?? 0) + 1;
  }
  return {
    status: worstStatus(statuses),
    summary: parts.join('; '),
    details: {
      firing: findings.length,
      returned: alerts.length,
      ignored: ignoredCount,
      younger: youngCount,
      bySeverity,
      ...(watchdog ? { watchdog } : {}),
      alerts: findings.slice(0, policy.listLimit).map((f) => alertDetails(f, policy)),
    },
  };
}
