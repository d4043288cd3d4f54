import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../lib/checks/disk/run.ts';
import { parseConfig } from '../../lib/config/load-config.ts';
import type { CheckResult } from '../../lib/core/result.ts';
import {
  type FakeKubeApi,
  type FakeKubeApiOptions,
  kubeletSummary,
  kubeNode,
  startFakeKubeApi,
} from '../support/fake-kube-api.ts';

const GiB = 1024 ** 3;
const now = new Date('2026-11-22T01:00:00Z');
const servers: FakeKubeApi[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function fakeApi(options: FakeKubeApiOptions) {
  const api = await startFakeKubeApi(options);
  servers.push(api);
  return api;
}

function diskConfig(fields: Record<string, unknown>) {
  const config = parseConfig(
    { checks: [{ id: 'k8s-disk', type: 'disk', source: 'kubelet', ...fields }] },
    { env: {} },
  );
  return config.checks[0] as Parameters<typeof run>[0];
}

const context = (extra: Record<string, unknown> = {}) => ({
  signal: AbortSignal.timeout(10_000),
  now,
  timezone: 'UTC',
  ...extra,
});

const cluster = () => ({
  nodes: [kubeNode('node-a', { pool: 'db' }), kubeNode('node-b', { pool: 'web' })],
  summaries: {
    'node-a': kubeletSummary('node-a', {
      nodeFs: { capacityBytes: 100 * GiB, usedBytes: 50 * GiB },
      imageFs: { capacityBytes: 200 * GiB, usedBytes: 150 * GiB },
      pvcs: [
        {
          namespace: 'secureconnect-prod',
          claim: 'datadir-cockroachdb-0',
          pod: 'cockroachdb-0',
          fs: { capacityBytes: 100 * GiB, usedBytes: 85 * GiB },
        },
      ],
    }),
    'node-b': kubeletSummary('node-b', {
      nodeFs: { capacityBytes: 80 * GiB, usedBytes: 20 * GiB, inodes: 1000, inodesUsed: 900 },
    }),
  },
});

describe('disk check, kubelet source', () => {
  it('reads node fs, separate image fs and PVCs from each node stats summary', async () => {
    const api = await fakeApi(cluster());
    const outcome = await run(diskConfig({ kubeconfig: api.kubeconfigPath() }), context());
    const fs = outcome.details?.['filesystems'] as {
      name: string;
      usedPercent: number;
      status: string;
    }[];
    // Worst first, inodes included: node-b's inodes are 90% used.
    expect(fs.map((f) => `${f.name} ${f.usedPercent} ${f.status}`)).toEqual([
      'node-b nodefs 25 critical',
      'pvc secureconnect-prod/datadir-cockroachdb-0 85 critical',
      'node-a imagefs 75 warning',
      'node-a nodefs 50 ok',
    ]);
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toMatch(
      /^3 of 4 filesystems over threshold: node-b nodefs 25% used \(inodes 90%\), 60 GiB free; pvc secureconnect-prod\/datadir-cockroachdb-0 85% used, 15 GiB free; /,
    );
    const paths = api.requests.map((r) => r.path).sort();
    expect(paths).toEqual([
      '/api/v1/nodes',
      '/api/v1/nodes/node-a/proxy/stats/summary',
      '/api/v1/nodes/node-b/proxy/stats/summary',
    ]);
  });

  it('honours nodeSelector and pvcs: false', async () => {
    const api = await fakeApi(cluster());
    const outcome = await run(
      diskConfig({ kubeconfig: api.kubeconfigPath(), nodeSelector: 'pool=db', pvcs: false }),
      context(),
    );
    const fs = outcome.details?.['filesystems'] as { name: string }[];
    expect(fs.map((f) => f.name).sort()).toEqual(['node-a imagefs', 'node-a nodefs']);
    expect(api.requests[0]?.query['labelSelector']).toBe('pool=db');
  });

  it('a node whose stats are unavailable makes the result unknown, keeping the others', async () => {
    const c = cluster();
    const api = await fakeApi({ ...c, nodes: [...c.nodes, kubeNode('node-gone')] });
    const outcome = await run(
      diskConfig({ kubeconfig: api.kubeconfigPath(), warningPercent: 95, criticalPercent: 99 }),
      context(),
    );
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(/; 1 unreadable: stats from node-gone unavailable: .*HTTP 503/);
    expect(outcome.details?.['filesystems']).toHaveLength(4);
  });

  it('403 on nodes/proxy names the resource and the RBAC manifest', async () => {
    const api = await fakeApi({ ...cluster(), failWith: { status: 403, path: /proxy/ } });
    await expect(run(diskConfig({ kubeconfig: api.kubeconfigPath() }), context())).rejects.toThrow(
      /forbidden: cannot get nodes\/proxy node-a .*healthcheck-rbac\.yaml/,
    );
  });

  it('warns when a filesystem will be full within the horizon at its growth since the last run', async () => {
    const api = await fakeApi(cluster());
    const previous: CheckResult = {
      check: 'k8s-disk',
      type: 'disk',
      status: 'ok',
      summary: '',
      details: {
        filesystems: [
          { name: 'node-a nodefs', usedBytes: 40 * GiB },
          { name: 'node-a imagefs', usedBytes: 150 * GiB },
        ],
      },
      durationMs: 1,
      startedAt: new Date(now.getTime() - 10 * 3600_000).toISOString(),
      finishedAt: new Date(now.getTime() - 10 * 3600_000).toISOString(),
    };
    // node-a nodefs grew 10 GiB in 10 h and has 50 GiB left: full in ~50 h.
    const config = diskConfig({
      kubeconfig: api.kubeconfigPath(),
      nodeSelector: 'pool=db',
      pvcs: false,
      warningPercent: 90,
      criticalPercent: 95,
      fillHorizonHours: 72,
    });
    const outcome = await run(config, context({ previous }));
    expect(outcome.status).toBe('warning');
    expect(outcome.summary).toMatch(
      /filling up: node-a nodefs full in ~2d2h at the growth since the previous run$/,
    );
    expect(outcome.details?.['fillingUp']).toEqual([
      { name: 'node-a nodefs', hoursToFull: 50, bytesPerHour: GiB },
    ]);
    const short = await run({ ...config, fillHorizonHours: 24 }, context({ previous }));
    expect(short.status).toBe('ok');
  });

  it('rejects fields of other sources with their paths', () => {
    expect(() => diskConfig({ paths: ['/'] })).toThrow(/checks\[0\]\.paths: only for source local/);
    expect(() =>
      parseConfig(
        { checks: [{ id: 'd', type: 'disk', paths: ['/'], kubeconfig: '/k' }] },
        { env: {} },
      ),
    ).toThrow(/checks\[0\]\.kubeconfig: only for source kubelet/);
  });
});
