/**
 * A state dir as a month of cron runs leaves it: one real run of the config (so alert state and
 * each check's result are what the CLI records), then that run's history repeated for every
 * 15-minute slot of the 30 days before it, written through the same SQLite store the CLI uses.
 */
import type { RunRecord } from '../../lib/alerting/result-store.ts';
import { openLocalStore } from '../../lib/store/local-store.ts';
import { expiresAtFor } from '../../lib/store/table-layout.ts';
import type { InstalledCli } from './healthcheck-cli.ts';
import { healthcheckRunArgs } from './healthcheck-cli.ts';
import { runTimed } from './timed-process.ts';

export const historyDays = 30;
export const slotMinutes = 15;

export async function seedHistory(
  cli: InstalledCli,
  configPath: string,
  stateDir: string,
): Promise<{ records: number }> {
  const run = await runTimed(cli.bin, healthcheckRunArgs(configPath, stateDir), {
    env: cli.env,
    timeoutMs: 300_000,
  });
  const report = JSON.parse(run.stdout) as { results: RunRecord['result'][] };
  const local = await openLocalStore(stateDir, { access: 'read-write', waitMs: 60_000 });
  try {
    const now = Date.now();
    const slots = (historyDays * 24 * 60) / slotMinutes;
    const expiresAt = expiresAtFor(new Date(now), 90);
    for (let slot = 1; slot <= slots; slot++) {
      const at = new Date(now - slot * slotMinutes * 60_000).toISOString();
      await local.store.appendRuns(
        report.results.map((result) => ({
          at,
          suite: null,
          scheduledTime: at,
          result: { ...result, startedAt: at, finishedAt: at },
        })),
        expiresAt,
      );
    }
    return { records: slots * report.results.length };
  } finally {
    local.close();
  }
}
