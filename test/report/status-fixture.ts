import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfigFile } from '../../lib/config/load-config.ts';
import type { CheckOutcome } from '../../lib/core/result.ts';
import type { Status } from '../../lib/core/status.ts';
import { executeRun } from '../../lib/run/execute-run.ts';
import { openLocalStore } from '../../lib/store/local-store.ts';

export const timezone = 'Asia/Ho_Chi_Minh';
const dayMs = 86_400_000;

/** The runbooks' morning checklist, with the Vietnamese names on-call sees. */
export const names = {
  pods: 'Pod SecureConnect đang chạy (không CrashLoopBackOff)',
  backup: 'Sao lưu đêm qua (erp_prod_YYYYMMDD.sql.gz)',
  cert: 'Chứng chỉ ERP sắp hết hạn',
  disk: 'Ổ đĩa gốc < 80%',
  db: 'Kết nối cơ sở dữ liệu ERP',
  never: 'Kiểm tra chưa chạy',
} as const;

export const configYaml = `timezone: ${timezone}
suites:
  - id: morning
    description: ERP morning checklist
    schedule: "cron(0 8 * * ? *)"
    checks: [secureconnect-pods, nightly-backup, erp-cert, root-disk, erp-db]
  - id: pods
    schedule: "rate(15 minutes)"
    checks: [secureconnect-pods]
checks:
  - id: secureconnect-pods
    name: "${names.pods}"
    type: disk
    paths: [/]
    severity: P1
    runbook: https://wiki.example/secureconnect#22.6.2
  - id: nightly-backup
    name: "${names.backup}"
    type: backup
    location: file:///backups/erp_prod_{yyyyMMdd}.sql.gz
    severity: P2
    runbook: "Re-run ./scripts/backup.sh and check /var/log/backup.log"
  - id: erp-cert
    name: "${names.cert}"
    type: tls-certificate
    host: erp.company.vn
    severity: P2
  - id: root-disk
    name: "${names.disk}"
    type: disk
    paths: [/]
  - id: erp-db
    name: "${names.db}"
    type: connection-pool
    engine: postgres
    url: postgres://monitor@127.0.0.1:5432/erp
  - id: never-ran
    name: "${names.never}"
    type: disk
    paths: [/]
`;

/** What each check reported `daysAgo` days back (0 = today's 08:00 run). */
export function outcomeOf(check: string, daysAgo: number): CheckOutcome {
  const at = (status: Status, summary: string): CheckOutcome => ({ status, summary });
  switch (check) {
    case 'secureconnect-pods':
      return daysAgo <= 2
        ? at(
            'critical',
            '2 of 14 pods failing in namespace secureconnect-prod: chat-service-7d9f-x2kq (CrashLoopBackOff, 12 restarts)',
          )
        : at('ok', '14 pods Running in namespace secureconnect-prod');
    case 'nightly-backup':
      return daysAgo === 0
        ? at(
            'critical',
            'expected backup file:///backups/erp_prod_20261122.sql.gz not found; newest backup found is file:///backups/erp_prod_20261121.sql.gz',
          )
        : at('ok', 'backup file:///backups/erp_prod_2026112x.sql.gz: 1.2 GiB');
    case 'erp-cert':
      return daysAgo <= 5
        ? at('warning', 'erp.company.vn:443 certificate expires in 12 days')
        : at('ok', 'erp.company.vn:443 certificate expires in 40 days');
    case 'erp-db':
      // Down for three days ten days ago, fine since.
      return daysAgo >= 10 && daysAgo <= 12
        ? at('unknown', 'postgres 127.0.0.1:5432: connection refused')
        : at('ok', 'postgres 127.0.0.1:5432: 12 of 97 usable connections in use (12%)');
    default:
      return at('ok', '/ 41.0% used, 58 GiB free (warning at 70%, critical at 80%)');
  }
}

/**
 * How many of `mornings` fall in the status page's 7-day window at `now`: today and the six
 * days before it, as calendar days in the config's zone (between midnight and 08:00 there,
 * today has no morning yet, so the window holds six).
 */
export function morningsInLastWeek(mornings: readonly Date[], now: Date): number {
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(d);
  const first = day(new Date(Date.parse(`${day(now)}T00:00:00Z`) - 6 * dayMs));
  return mornings.filter((m) => day(m) >= first).length;
}

/** Today's 08:00 in Ho Chi Minh City (01:00 UTC), or yesterday's when that is still ahead. */
export function lastMorning(now: Date): Date {
  const today = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 1, 0, 0),
  );
  return today.getTime() <= now.getTime() ? today : new Date(today.getTime() - dayMs);
}

/**
 * A state dir with `days` mornings of history, written through the real store adapter by the
 * real run path (`executeRun` with the embedded store): the same items `healthcheck run` writes.
 * Check outcomes are scripted per check and day; no notifier is configured.
 */
export async function writeStatusFixture(
  dir: string,
  days = 21,
): Promise<{ configFile: string; stateDir: string; mornings: Date[] }> {
  const configFile = join(dir, 'healthchecks.yaml');
  await writeFile(configFile, configYaml);
  const config = await loadConfigFile(configFile, { env: {} });
  const stateDir = join(dir, 'state');
  const embedded = await openLocalStore(stateDir, { access: 'read-write', waitMs: 10_000 });
  const last = lastMorning(new Date());
  const mornings = Array.from(
    { length: days },
    (_, i) => new Date(last.getTime() - (days - 1 - i) * dayMs),
  );
  try {
    for (const [index, morning] of mornings.entries()) {
      const daysAgo = days - 1 - index;
      await executeRun(
        config,
        { suites: ['morning'] },
        {
          loadCheck: async () => ({
            run: async (check: { id: string }) => outcomeOf(check.id, daysAgo),
          }),
          secrets: { resolve: async () => '' },
          now: () => morning,
          alerting: { store: embedded.store, notifiers: [], scheduledTime: morning },
        },
      );
    }
  } finally {
    embedded.close();
  }
  return { configFile, stateDir, mornings };
}
