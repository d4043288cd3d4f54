import { outboxCounts } from '../../alerting/outbox.ts';
import { loadConfigFile } from '../../config/load-config.ts';
import { paletteFor } from '../colors.ts';
import { type Command, configOption, configPath, formatOption } from '../command.ts';
import { openLocalStore, stateDirOf } from '../local-alerting.ts';
import { outputFormat } from '../output-format.ts';
import { renderTable } from '../render-table.ts';

export const statusCommand: Command = {
  name: 'status',
  summary: 'show the latest result and alert state of every check',
  usage: [
    'healthcheck status --config FILE [--state-dir DIR] [--format table|json]',
    '',
    '  ALERT is what was last notified (ok = nothing open); PENDING counts deliveries not yet',
    '  accepted (retried by every run); FAILED counts deliveries a channel refused for good',
    '  (fix the cause, then healthcheck replay).',
  ].join('\n'),
  options: { ...configOption, ...formatOption, 'state-dir': { type: 'string' } },
  async run(values, io) {
    const format = outputFormat(values);
    const config = await loadConfigFile(configPath(values, io), { env: false });
    const embedded = await openLocalStore(stateDirOf(values, io));
    let states: Awaited<ReturnType<typeof embedded.store.getStates>>;
    try {
      states = await embedded.store.getStates(config.checks.map((c) => c.id));
    } finally {
      await embedded.close();
    }
    const rows = config.checks.map((c) => {
      const s = states.get(c.id);
      const outbox = outboxCounts(s?.alert.outbox ?? []);
      return {
        check: c.id,
        severity: c.severity,
        status: s?.lastResult?.status ?? null,
        since: s?.alert.statusSince ?? null,
        alerted: s?.alert.alertedStatus ?? null,
        pending: outbox.pending,
        failed: outbox.failed,
        deliveryError: outbox.lastError ?? null,
        skipped: s?.skipped ?? null,
        lastRunAt: s?.lastResult?.startedAt ?? null,
        summary: s?.lastResult?.summary ?? null,
      };
    });
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify({ checks: rows }, null, 2)}\n`);
      return 0;
    }
    const palette = paletteFor(io.stdout.isTTY, io.env);
    io.stdout.write(
      `${renderTable(
        ['STATUS', 'CHECK', 'SEV', 'SINCE', 'ALERT', 'PENDING', 'FAILED', 'LAST RUN', 'SUMMARY'],
        rows.map((r) => [
          r.status ? palette.status(r.status, r.status.toUpperCase()) : 'NEVER RUN',
          r.check,
          r.severity,
          r.since ?? '-',
          r.alerted ?? '-',
          String(r.pending),
          r.failed > 0 ? palette.status('critical', String(r.failed)) : '0',
          r.lastRunAt ?? '-',
          [r.summary ?? '', r.failed > 0 ? `(${r.deliveryError})` : ''].filter(Boolean).join(' '),
        ]),
      )}\n`,
    );
    return 0;
  },
};
