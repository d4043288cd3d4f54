import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../lib/checks/disk/run.ts';
import { parseConfig } from '../../lib/config/load-config.ts';
import {
  type FakePrometheus,
  nodeFilesystem,
  startFakePrometheus,
} from '../support/fake-prometheus.ts';

const GiB = 1024 ** 3;
const servers: FakePrometheus[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function prometheus(...args: Parameters<typeof startFakePrometheus>) {
  const server = await startFakePrometheus(...args);
  servers.push(server);
  return server;
}

function diskConfig(fields: Record<string, unknown>) {
  const config = parseConfig(
    { checks: [{ id: 'prom-disk', type: 'disk', source: 'prometheus', ...fields }] },
    { env: {} },
  );
  return config.checks[0] as Parameters<typeof run>[0];
}

const context = () => ({ signal: AbortSignal.timeout(10_000), now: new Date(), timezone: 'UTC' });

const fleet = () => [
  // df: used = size - free = 80, avail 15 -> 80 / 95 = 84.2%
  ...nodeFilesystem({
    instance: 'db-1:9100',
    mountpoint: '/var/lib/postgresql',
    sizeBytes: 100 * GiB,
    freeBytes: 20 * GiB,
    availBytes: 15 * GiB,
  }),
  ...nodeFilesystem({
    instance: 'db-1:9100',
    mountpoint: '/',
    sizeBytes: 50 * GiB,
    availBytes: 40 * GiB,
  }),
  ...nodeFilesystem({
    instance: 'web-1:9100',
    mountpoint: '/',
    sizeBytes: 50 * GiB,
    availBytes: 12 * GiB,
    job: 'web-nodes',
  }),
  ...nodeFilesystem({
    instance: 'db-1:9100',
    mountpoint: '/run',
    fstype: 'tmpfs',
    device: 'tmpfs',
    sizeBytes: GiB,
    availBytes: 0,
  }),
  ...nodeFilesystem({
    instance: 'db-1:9100',
    mountpoint: '/var/lib/docker/overlay2/x/merged',
    fstype: 'overlay',
    device: 'overlay',
    sizeBytes: GiB,
    availBytes: 0,
  }),
  ...nodeFilesystem({
    instance: 'db-1:9100',
    mountpoint: '/snap/core/1',
    fstype: 'squashfs',
    device: '/dev/loop0',
    sizeBytes: GiB,
    availBytes: 0,
  }),
  ...nodeFilesystem({
    instance: 'db-1:9100',
    mountpoint: '/mnt/iso',
    fstype: 'iso9660',
    device: '/dev/sr0',
    sizeBytes: GiB,
    availBytes: 0,
    readonly: true,
  }),
];

describe('disk check, prometheus source', () => {
  it('computes df-style usage per filesystem, skipping tmpfs/overlay/squashfs and read-only ones', async () => {
    const prom = await prometheus(fleet());
    const outcome = await run(diskConfig({ url: prom.url }), context());
    const fs = outcome.details?.['filesystems'] as {
      name: string;
      usedPercent: number;
      status: string;
    }[];
    expect(fs.map((f) => `${f.name} ${f.usedPercent} ${f.status}`)).toEqual([
      'db-1:9100 /var/lib/postgresql 84.2 critical',
      'web-1:9100 / 76 warning',
      'db-1:9100 / 20 ok',
    ]);
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toMatch(
      /^2 of 3 filesystems over threshold: db-1:9100 \/var\/lib\/postgresql 84\.2% used, 15 GiB free/,
    );
    expect(outcome.details?.['readOnlySkipped']).toBe(1);
    expect(prom.queries).toHaveLength(1);
    expect(prom.queries[0]).toMatch(/fstype!~"tmpfs\|devtmpfs\|ramfs\|overlay\|squashfs"/);
  });

  it('adds the extra label matchers and can include read-only filesystems', async () => {
    const prom = await prometheus(fleet());
    const outcome = await run(
      diskConfig({
        url: prom.url,
        matchers: 'job="node-exporter",instance=~"db-.*"',
        includeReadOnly: true,
      }),
      context(),
    );
    const names = ((outcome.details?.['filesystems'] ?? []) as { name: string }[])
      .map((f) => f.name)
      .sort();
    expect(names).toEqual(['db-1:9100 /', 'db-1:9100 /mnt/iso', 'db-1:9100 /var/lib/postgresql']);
  });

  it('sends URL credentials as basic auth and keeps them out of the result', async () => {
    const prom = await prometheus(fleet());
    const url = prom.url.replace('http://', 'http://monitor:s3cr3t-pass@');
    const outcome = await run(diskConfig({ url }), context());
    expect(prom.authorizations[0]).toBe(
      `Basic ${Buffer.from('monitor:s3cr3t-pass').toString('base64')}`,
    );
    expect(JSON.stringify(outcome)).not.toContain('s3cr3t-pass');
  });

  it('a failing or unreachable Prometheus is an error naming it', async () => {
    const prom = await prometheus([], { failWith: 503 });
    await expect(run(diskConfig({ url: prom.url }), context())).rejects.toThrow(
      /Prometheus query failed \(HTTP 503, internal\): fake failure/,
    );
    const closed = await prometheus([]);
    await closed.close();
    await expect(run(diskConfig({ url: closed.url }), context())).rejects.toThrow(
      /cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+: connection refused \(nothing listening on that port\?\)/,
    );
  });

  it('no matching filesystems is unknown', async () => {
    const prom = await prometheus(fleet());
    const outcome = await run(diskConfig({ url: prom.url, matchers: 'job="absent"' }), context());
    expect(outcome).toMatchObject({ status: 'unknown', summary: 'no filesystems found' });
  });

  it('requires url, with its path', () => {
    expect(() => diskConfig({})).toThrow(/checks\[0\]\.url: required when source is prometheus/);
    expect(() => diskConfig({ url: 'http://p', matchers: '{job="x"}' })).toThrow(
      /checks\[0\]\.matchers/,
    );
  });
});
