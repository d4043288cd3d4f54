import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refusedPort } from '../../support/tls-servers.ts';

export const alertmanagerBinary = '/usr/bin/prometheus-alertmanager';

export interface PostedAlert {
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
  /** How long ago it started firing. */
  readonly firingForMs: number;
}

export interface RealAlertmanager {
  readonly url: string;
  postAlerts(alerts: readonly PostedAlert[]): Promise<void>;
  /** Silences alerts with this alertname through the API; returns the silence id. */
  silence(alertname: string): Promise<string>;
  /** Resolves once the API lists `count` active alerts with these states. */
  waitForAlerts(
    predicate: (alerts: { labels: Record<string, string>; status: { state: string } }[]) => boolean,
  ): Promise<void>;
  stop(): Promise<void>;
}

async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A real Alertmanager (Debian's prometheus-alertmanager) on a free loopback port, clustering
 * off, storage in a temporary directory removed by `stop()`.
 */
export async function startAlertmanager(): Promise<RealAlertmanager> {
  const dir = await mkdtemp(join(tmpdir(), 'healthcheck-alertmanager-'));
  const config = join(dir, 'alertmanager.yml');
  await writeFile(
    config,
    [
      'route:',
      '  receiver: blackhole',
      '  group_wait: 1h',
      'receivers:',
      '  - name: blackhole',
      '',
    ].join('\n'),
  );
  const port = await refusedPort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    alertmanagerBinary,
    [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil('Alertmanager to be ready', async () => {
      if (child.exitCode !== null) throw new Error(`alertmanager exited: ${output}`);
      return (await fetch(`${url}/-/ready`)).ok;
    });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  const api = async (path: string, body: unknown): Promise<unknown> => {
    const response = await fetch(`${url}/api/v2${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    url,
    async postAlerts(alerts) {
      const now = Date.now();
      await api(
        '/alerts',
        alerts.map((a) => ({
          labels: a.labels,
          annotations: a.annotations ?? {},
          startsAt: new Date(now - a.firingForMs).toISOString(),
          endsAt: new Date(now + 3_600_000).toISOString(),
        })),
      );
    },
    async silence(alertname) {
      const now = Date.now();
      const created = (await api('/silences', {
        matchers: [{ name: 'alertname', value: alertname, isRegex: false, isEqual: true }],
        startsAt: new Date(now - 1000).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
        createdBy: 'healthcheck tests',
        comment: 'planned maintenance',
      })) as { silenceID: string };
      return created.silenceID;
    },
    async waitForAlerts(predicate) {
      await waitUntil('the alerts to be listed', async () => {
        const response = await fetch(`${url}/api/v2/alerts`);
        return predicate((await response.json()) as never);
      });
    },
    stop,
  };
}
