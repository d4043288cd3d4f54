import { loadConfigFile } from '../../config/load-config.ts';
import { paletteFor } from '../colors.ts';
import { type Command, configOption, configPath, formatOption } from '../command.ts';
import { stateDirOf } from '../local-alerting.ts';
import { openLocalStore, preloadLocalStore, readerWaitMs } from '../open-store.ts';
import { outputFormat } from '../output-format.ts';
import { renderTable } from '../render-table.ts';

export const statusCommand: Command = {
  name: 'status',
  summary: 'show the latest result and alert state of every check',
  usage: [
    'healthcheck status --config FILE [--state-dir DIR] [--format table|json]',
    '',
    '  ALERT is what was last notified (ok = nothing open); PENDING counts notifications not yet',
    '  accepted by every channel (retried by the next run).',
  ].join('\n'),
  options: { ...configOption, ...formatOption, 'state-dir': { type: 'string' } },
  async run(values, io) {
    const format = outputFormat(values);
    preloadLocalStore();
    const config = await loadConfigFile(configPath(values, io), { env: false });
    const local = await openLocalStore(stateDirOf(values, io), 'read-only', readerWaitMs);
    let states: Awaited<ReturnType<typeof local.store.getStates>>;
    try {
      states = await local.store.getStates(config.checks.map((c) => c.id));
    } finally {
      local.close();
    }
    const rows = config.checks.map((c) => {
      const s = states.get(c.id);
      return {
        check: c.id,
        severity: c.severity,
        status: s?.lastResult?.status ?? null,
        since: s?.alert.statusSince ?? null,
        alerted: s?.alert.alertedStatus ?? null,
        pending: s?.alert.outbox.length ?? 0,
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
        ['STATUS', 'CHECK', 'SEV', 'SINCE', 'ALERT', 'PENDING', 'LAST RUN', 'SUMMARY'],
        rows.map((r) => [
          r.status ? palette.status(r.status, r.status.toUpperCase()) : 'NEVER RUN',
          r.check,
          r.severity,
          r.since ?? '-',
          r.alerted ?? '-',
          String(r.pending),
          r.lastRunAt ?? '-',
          r.summary ?? '',
        ]),
      )}\n`,
    );
    return 0;
  },
};
