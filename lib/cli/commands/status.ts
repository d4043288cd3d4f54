import type { StoredIncidentGroup } from '../../alerting/incident-group.ts';
import { outboxCounts } from '../../alerting/outbox.ts';
import { loadConfigFile } from '../../config/load-config.ts';
import { exitCodeByStatus, type Status, worstStatus } from '../../core/status.ts';
import { scheduleOutlook } from '../../report/next-runs.ts';
import { formatNextRun } from '../../schedule/next-run.ts';
import { describeTimeZone, formatZonedTime, formatZonedTimeAgo } from '../../shared/format-time.ts';
import { paletteFor } from '../colors.ts';
import { type Command, configOption, configPath, formatOption } from '../command.ts';
import { preloadLocalStore } from '../open-store.ts';
import { outputFormat } from '../output-format.ts';
import { renderTable } from '../render-table.ts';
import { openResultStore, resultStoreOptions, resultStoreUsage } from '../result-store-option.ts';

/** A grouped incident as `status` shows it. */
function groupRow(g: StoredIncidentGroup) {
  return {
    key: g.key,
    suite: g.suite,
    cause: g.cause ?? null,
    status: g.status,
    severity: g.severity,
    openedAt: g.openedAt,
    closedAt: g.closedAt ?? null,
    open: g.members.length,
    total: g.total,
    members: g.members,
    pending: outboxCounts(g.outbox).pending,
  };
}

/** A check with no recorded run cannot be said to be fine: it counts as `unknown`. */
export function statusExitCode(statuses: readonly (Status | null)[]): number {
  return exitCodeByStatus[worstStatus(statuses.map((s) => s ?? 'unknown'))];
}

export const statusCommand: Command = {
  name: 'status',
  summary:
    'show the latest result, alert state and next run of every check; exit 0/1/2/3 by the worst',
  usage: [
    `healthcheck status --config FILE ${resultStoreUsage} [--format table|json]`,
    '',
    '  ALERT is what was last notified (- = nothing open; "grouped": told in a grouped incident;',
    '  "suppressed": a parent in dependsOn is failing, so this check raised no alert of its own);',
    '  PENDING counts deliveries not yet',
    '  accepted (retried by every run); FAILED counts deliveries a channel refused for good (fix',
    '  the cause, then healthcheck replay). Times are in the config time zone.',
    '  Exit code: the worst current status (0 ok, 1 warning, 2 critical, 3 unknown); a check that',
    "  never ran counts as unknown. --table or --stack reads a deployed checker's results table",
    '  with your AWS credentials (--stack finds the table in the stack outputs).',
  ].join('\n'),
  options: { ...configOption, ...formatOption, ...resultStoreOptions },
  async run(values, io) {
    const format = outputFormat(values);
    preloadLocalStore();
    const config = await loadConfigFile(configPath(values, io), { env: false });
    const opened = await openResultStore(values, io);
    let states: Awaited<ReturnType<typeof opened.store.getStates>>;
    let groups: StoredIncidentGroup[];
    try {
      states = await opened.store.getStates(config.checks.map((c) => c.id));
      groups = (
        await Promise.all(
          [null, ...config.suites.map((s) => s.id)].map((suite) =>
            opened.store.getIncidentGroups(suite),
          ),
        )
      ).flat();
    } finally {
      await opened.close();
    }
    const now = new Date();
    const tz = config.timezone;
    const outlook = scheduleOutlook(config, now, (id) => states.get(id)?.lastResult?.startedAt);
    const rows = config.checks.map((c) => {
      const s = states.get(c.id);
      const outbox = outboxCounts(s?.alert.outbox ?? []);
      const next = outlook.checks.get(c.id);
      return {
        check: c.id,
        ...(c.name ? { name: c.name } : {}),
        severity: c.severity,
        status: s?.lastResult?.status ?? null,
        since: s?.alert.statusSince ?? null,
        alerted: s?.alert.alertedStatus ?? null,
        /** Parents (`dependsOn`) whose failure suppressed this check's alert in its last run. */
        suppressedBy: s?.alert.suppressedBy ?? null,
        /** The grouped incident this check's alert was told through. */
        group: s?.alert.group ?? null,
        pending: outbox.pending,
        failed: outbox.failed,
        deliveryError: outbox.lastError ?? null,
        skipped: s?.skipped ?? null,
        lastRunAt: s?.lastResult?.startedAt ?? null,
        nextRunAt: next?.at?.toISOString() ?? null,
        summary: s?.lastResult?.summary ?? null,
      };
    });
    const exitCode = statusExitCode(rows.map((r) => r.status));
    if (format === 'json') {
      const suites = config.suites.map((s) => ({
        id: s.id,
        schedule: s.schedule,
        nextRunAt: outlook.suites.get(s.id)?.at?.toISOString() ?? null,
      }));
      const incidents = groups.map(groupRow);
      io.stdout.write(
        `${JSON.stringify({ timezone: tz, exitCode, suites, checks: rows, groups: incidents }, null, 2)}\n`,
      );
      return exitCode;
    }
    const palette = paletteFor(io.stdout.isTTY, io.env);
    const parts: string[] = [palette.dim(`Times in ${describeTimeZone(tz, now)}.`), ''];
    if (config.suites.length > 0) {
      parts.push(
        renderTable(
          ['SUITE', 'SCHEDULE', 'NEXT RUN'],
          config.suites.map((s) => [
            s.id,
            s.schedule,
            formatNextRun(outlook.suites.get(s.id) ?? { certainty: 'none' }, tz, now),
          ]),
        ),
        '',
      );
    }
    parts.push(
      renderTable(
        [
          'STATUS',
          'CHECK',
          'SEV',
          'SINCE',
          'LAST RUN',
          'NEXT RUN',
          'ALERT',
          'PENDING',
          'FAILED',
          'SUMMARY',
        ],
        rows.map((r) => {
          const next = outlook.checks.get(r.check);
          return [
            r.status ? palette.status(r.status, r.status.toUpperCase()) : 'NEVER RUN',
            r.check,
            r.severity,
            formatZonedTimeAgo(r.since, tz, now),
            formatZonedTime(r.lastRunAt, tz),
            next?.at
              ? `${next.certainty === 'estimated' ? '~' : ''}${formatZonedTime(next.at, tz)}`
              : '-',
            r.suppressedBy
              ? `suppressed (${r.suppressedBy.join(', ')} failing)`
              : r.alerted && r.alerted !== 'ok'
                ? `${r.alerted}${r.group ? ' (grouped)' : ''}`
                : '-',
            String(r.pending),
            r.failed > 0 ? palette.status('critical', String(r.failed)) : '0',
            [r.summary ?? '', r.failed > 0 ? `(${r.deliveryError})` : ''].filter(Boolean).join(' '),
          ];
        }),
      ),
    );
    const counts = new Map<string, number>();
    for (const r of rows)
      counts.set(r.status ?? 'never run', (counts.get(r.status ?? 'never run') ?? 0) + 1);
    const tally = ['critical', 'unknown', 'warning', 'ok', 'never run']
      .filter((s) => counts.has(s))
      .map((s) => `${counts.get(s)} ${s}`)
      .join(', ');
    for (const g of groups.map(groupRow)) {
      const state = g.closedAt
        ? 'resolved, delivery pending'
        : `${g.open} of ${g.total} still failing`;
      parts.push('', `Grouped incident ${g.key}: ${g.cause ?? 'no shared cause'} (${state})`);
    }
    parts.push('', palette.dim(`${rows.length} checks: ${tally} (exit ${exitCode})`));
    io.stdout.write(`${parts.join('\n')}\n`);
    return exitCode;
  },
};
