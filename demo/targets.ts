import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zonedDate } from '../lib/schedule/zoned-time.ts';
import { type FakeKubeApi, kubePod, startFakeKubeApi } from '../test/support/fake-kube-api.ts';
import { type FakePagerDuty, startFakePagerDuty } from '../test/support/fake-pagerduty.ts';
import { createTestPki } from '../test/support/tls-certificates.ts';
import { startTlsServer } from '../test/support/tls-servers.ts';

/** Everything the demo points its checks at, all on loopback, all stopped by `close`. */
export interface DemoTargets {
  readonly tlsPort: number;
  readonly caFile: string;
  readonly kubeconfig: string;
  readonly backupDir: string;
  readonly pagerduty: FakePagerDuty;
  /** Replaces the expiring certificate with a fresh 90-day one: the fix the demo applies. */
  renewCertificate(): Promise<void>;
  close(): Promise<void>;
}

const dayMs = 86_400_000;

function backupName(date: Date, timezone: string): string {
  const { yyyy, MM, dd } = zonedDate(date, timezone);
  return `erp_prod_${yyyy}${MM}${dd}.sql.gz`;
}

/** The SecureConnect namespace from the runbooks: one crash loop, one OOM kill, the rest fine. */
function secureConnectPods(): ReturnType<typeof kubePod>[] {
  return [
    kubePod({
      name: 'chat-service-7d9f-x2kq',
      containers: [
        {
          name: 'chat-service',
          ready: false,
          restarts: 12,
          waiting: {
            reason: 'CrashLoopBackOff',
            message: 'back-off 5m0s restarting failed container',
          },
          lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedMinutesAgo: 4 },
        },
      ],
    }),
    kubePod({
      name: 'media-service-5c8b-p9tz',
      containers: [
        {
          name: 'media-service',
          restarts: 1,
          lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedMinutesAgo: 30 },
        },
      ],
    }),
    kubePod({ name: 'auth-service-6f7d-abcd' }),
    kubePod({ name: 'auth-service-6f7d-efgh' }),
    kubePod({ name: 'api-gateway-8c9e-ijkl' }),
    kubePod({
      name: 'db-migrate-28840320-qwert',
      phase: 'Succeeded',
      owner: { kind: 'Job', name: 'db-migrate-28840320' },
      containers: [{ name: 'migrate', terminated: { reason: 'Completed', exitCode: 0 } }],
    }),
  ];
}

export async function startDemoTargets(workspace: string, timezone: string): Promise<DemoTargets> {
  const pkiDir = join(workspace, 'pki');
  await mkdir(pkiDir, { recursive: true });
  const pki = await createTestPki(pkiDir);
  const leaf = await pki.issue({
    names: ['localhost', 'IP:127.0.0.1'],
    notBefore: new Date(Date.now() - 85 * dayMs),
    notAfter: new Date(Date.now() + 5 * dayMs + 3_600_000),
  });
  const servers: { close(): Promise<void> }[] = [];
  const tls = await startTlsServer(leaf);
  servers.push(tls);
  const kube: FakeKubeApi = await startFakeKubeApi({ pods: secureConnectPods() });
  servers.push(kube);
  const pagerduty = await startFakePagerDuty();
  servers.push(pagerduty);

  const backupDir = join(workspace, 'backups');
  await mkdir(backupDir, { recursive: true });
  const yesterday = join(backupDir, backupName(new Date(Date.now() - dayMs), timezone));
  await writeFile(yesterday, Buffer.alloc(48 * 1024, 1));

  return {
    tlsPort: tls.port,
    caFile: pki.caFile,
    kubeconfig: kube.kubeconfigPath(),
    backupDir,
    pagerduty,
    async renewCertificate() {
      tls.setCertificate(
        await pki.issue({
          names: ['localhost', 'IP:127.0.0.1'],
          notBefore: new Date(Date.now() - dayMs),
          notAfter: new Date(Date.now() + 90 * dayMs),
        }),
      );
    },
    async close() {
      await Promise.allSettled(servers.map((s) => s.close()));
    },
  };
}
