import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FakeKubeApi,
  kubeletSummary,
  kubeNode,
  kubePod,
  startFakeKubeApi,
} from '../../support/fake-kube-api.ts';
import {
  type FakePrometheus,
  nodeFilesystem,
  startFakePrometheus,
} from '../../support/fake-prometheus.ts';
import { runCli } from '../../support/run-cli.ts';
import { useTempDirs } from '../../support/temp-dir.ts';

const GiB = 1024 ** 3;
const tempDir = useTempDirs();
const closers: (FakeKubeApi | FakePrometheus)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c.close()));
});

describe('kubernetes-pods and disk (kubelet, prometheus) through the real CLI', () => {
  it('runs from healthcheck run and exits with the worst status', async () => {
    const api = await startFakeKubeApi({
      pods: [
        kubePod({ name: 'chat-service-7d9f8b6c5-ok001' }),
        kubePod({
          name: 'chat-service-7d9f8b6c5-x2k4q',
          containers: [
            {
              name: 'chat-service',
              restarts: 12,
              waiting: { reason: 'CrashLoopBackOff' },
              lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedMinutesAgo: 3 },
            },
          ],
        }),
      ],
      nodes: [kubeNode('node-a')],
      summaries: {
        'node-a': kubeletSummary('node-a', {
          nodeFs: { capacityBytes: 100 * GiB, usedBytes: 72 * GiB },
        }),
      },
    });
    const prom = await startFakePrometheus(
      nodeFilesystem({
        instance: 'erp-db:9100',
        mountpoint: '/',
        sizeBytes: 100 * GiB,
        availBytes: 60 * GiB,
      }),
    );
    closers.push(api, prom);
    const dir = await tempDir();
    const kubeconfig = api.kubeconfigPath();
    const config = join(dir, 'healthchecks.yaml');
    await writeFile(
      config,
      [
        'suites:',
        '  - id: morning',
        '    schedule: "cron(0 8 * * ? *)"',
        '    checks: [prod-pods, node-disk, erp-disk]',
        'checks:',
        '  - id: prod-pods',
        '    type: kubernetes-pods',
        `    kubeconfig: ${kubeconfig}`,
        '    namespace: secureconnect-prod',
        '  - id: node-disk',
        '    type: disk',
        '    source: kubelet',
        `    kubeconfig: ${kubeconfig}`,
        '  - id: erp-disk',
        '    type: disk',
        '    source: prometheus',
        `    url: ${prom.url}`,
        '',
      ].join('\n'),
    );
    const result = await runCli([
      'run',
      '--config',
      config,
      '--format',
      'json',
      '--state-dir',
      join(dir, 'state'),
    ]);
    expect(result.stderr).not.toMatch(/Error/);
    const report = JSON.parse(result.stdout) as {
      status: string;
      results: { check: string; status: string; summary: string }[];
    };
    const byCheck = Object.fromEntries(report.results.map((r) => [r.check, r]));
    expect(byCheck['prod-pods']).toMatchObject({
      status: 'critical',
      summary:
        '1 of 2 pods failing in namespace secureconnect-prod: chat-service-7d9f8b6c5-x2k4q (CrashLoopBackOff, 12 restarts, last OOMKilled)',
    });
    expect(byCheck['node-disk']).toMatchObject({ status: 'warning' });
    expect(byCheck['node-disk']?.summary).toMatch(/node-a nodefs 72% used/);
    expect(byCheck['erp-disk']).toMatchObject({ status: 'ok' });
    expect(report.status).toBe('critical');
    expect(result.code).toBe(2);
  });

  it('validate rejects a bad kubernetes-pods config with the field path (exit 64)', async () => {
    const dir = await tempDir();
    const config = join(dir, 'bad.yaml');
    await writeFile(
      config,
      'checks:\n  - id: prod-pods\n    type: kubernetes-pods\n    inCluster: true\n    context: prod\n    maxRestarts: lots\n',
    );
    const result = await runCli(['validate', '--config', config]);
    expect(result.code).toBe(64);
    expect(result.stdout + result.stderr).toMatch(/checks\[0\]\.maxRestarts/);
  });
});
