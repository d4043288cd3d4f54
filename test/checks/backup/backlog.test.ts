import { randomBytes } from 'node:crypto';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/backup/run.ts';
import { parseConfig } from '../../../lib/config/load-config.ts';
import { startSparseS3 } from '../../support/fake-sparse-s3.ts';
import { s3TestCredentials, useS3 } from '../../support/s3-server.ts';
import { useTempDirs } from '../../support/temp-dir.ts';

type Config = Parameters<typeof run>[0];

const dayMs = 86_400_000;
const tempDir = useTempDirs();
const s3server = useS3();

function backlogConfig(fields: Record<string, unknown>): Config {
  const config = parseConfig(
    { checks: [{ id: 'backlog', type: 'backup', mode: 'backlog', ...fields }] },
    { env: {} },
  );
  return config.checks[0] as Config;
}

const contextAt = (now: Date) => ({ signal: AbortSignal.timeout(10_000), now, timezone: 'UTC' });

async function oldFile(dir: string, name: string, bytes: number, ageDays: number, now: Date) {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, Buffer.alloc(bytes, 1));
  const mtime = new Date(now.getTime() - ageDays * dayMs);
  await utimes(path, mtime, mtime);
}

/** The ERP's logs: three fresh, two older than 30 days that cleanup should have removed. */
async function logsFolder(now: Date): Promise<string> {
  const dir = await tempDir();
  await oldFile(dir, 'app-1.log', 1000, 1, now);
  await oldFile(dir, 'app-2.log', 2000, 2, now);
  await oldFile(dir, 'archive/app-0.log', 50_000, 3, now);
  await oldFile(dir, 'app-old.log', 500, 45, now);
  await oldFile(dir, 'archive/app-older.log', 700, 60, now);
  return dir;
}

describe('backup mode: backlog over a folder', () => {
  it('counts entries in subfolders, names the oldest and the biggest, and is ok within the limits', async () => {
    const now = new Date();
    const dir = await logsFolder(now);
    const outcome = await run(
      backlogConfig({
        location: `file://${dir}/`,
        maxCount: 10,
        maxOldestAge: '90d',
        maxTotalBytes: '1MiB',
      }),
      contextAt(now),
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.summary).toBe(
      `backlog file://${dir}/: 5 entries, 53 KiB in all; oldest archive/app-older.log, 60.0 days old, biggest archive/app-0.log, 49 KiB`,
    );
    expect(outcome.details).toMatchObject({
      mode: 'backlog',
      count: 5,
      totalBytes: 54_200,
      oldest: { location: `file://${dir}/archive/app-older.log`, sizeBytes: 700 },
      biggest: { location: `file://${dir}/archive/app-0.log`, sizeBytes: 50_000 },
    });
    const oldestFirst = (outcome.details as { oldestEntries: { location: string }[] })
      .oldestEntries;
    expect(oldestFirst.map((e) => e.location.split('/').pop())).toEqual([
      'app-older.log',
      'app-old.log',
      'app-0.log',
      'app-2.log',
      'app-1.log',
    ]);
  });

  it('"clean old logs older than 30 days": maxOldestAge 30d is critical, warning levels warn', async () => {
    const now = new Date();
    const dir = await logsFolder(now);
    const stale = await run(
      backlogConfig({ location: `file://${dir}/`, maxOldestAge: '30d' }),
      contextAt(now),
    );
    expect(stale.status).toBe('critical');
    expect(stale.summary).toContain(
      'oldest archive/app-older.log, 60.0 days old (critical above 30d)',
    );
    const graded = await run(
      backlogConfig({
        location: `file://${dir}/`,
        maxOldestAge: { warning: '30d', critical: '90d' },
        maxCount: { warning: 4, critical: 20 },
      }),
      contextAt(now),
    );
    expect(graded.status).toBe('warning');
    expect(graded.summary).toMatch(/^backlog .*: 5 entries \(warning above 4\), 53 KiB in all; /);
    expect(graded.summary).toContain('60.0 days old (warning above 30d)');
  });

  it('judges the total size, and only the entries a template matches', async () => {
    const now = new Date();
    const dir = await logsFolder(now);
    const big = await run(
      backlogConfig({ location: `file://${dir}/`, maxTotalBytes: '50KB' }),
      contextAt(now),
    );
    expect(big.status).toBe('critical');
    expect(big.summary).toContain('53 KiB in all (critical above 50KB)');
    const topLevelLogs = await run(
      backlogConfig({ location: `file://${dir}/app-{*}.log`, maxCount: 2 }),
      contextAt(now),
    );
    expect(topLevelLogs.summary).toMatch(
      /: 3 entries \(critical above 2\), 3\.4 KiB in all; oldest app-old\.log/,
    );
  });

  it('an empty folder is ok; a missing one is unknown, not "empty"', async () => {
    const dir = await tempDir();
    const empty = await run(
      backlogConfig({ location: `file://${dir}/`, maxCount: 0 }),
      contextAt(new Date()),
    );
    expect(empty).toMatchObject({ status: 'ok', summary: `backlog file://${dir}/ is empty` });
    const gone = await run(
      backlogConfig({ location: `file://${dir}/no-such/`, maxCount: 0 }),
      contextAt(new Date()),
    );
    expect(gone).toMatchObject({
      status: 'unknown',
      summary: `backlog file://${dir}/no-such/: the folder ${dir}/no-such does not exist`,
    });
  });
});

describe('backup mode: backlog over an s3rver prefix (the lakehouse pending/)', () => {
  it('reports count, oldest age and total size of the objects under the prefix', async () => {
    const now = new Date();
    const prefix = `fulfillment-${randomBytes(4).toString('hex')}`;
    const put = (key: string, bytes: number, ageMinutes: number) =>
      s3server().put(
        `${prefix}/${key}`,
        Buffer.alloc(bytes, 2),
        new Date(now.getTime() - ageMinutes * 60_000),
      );
    await put('pending/label-0001.pdf', 3000, 45);
    await put('pending/label-0002.pdf', 2000, 20);
    await put('pending/2026/12/packing-slip-7.zip', 40_000, 5);
    await put('pending/label-0003.pdf', 1000, 1);
    await put('ready/label-0000.pdf', 9000, 300);
    const location = `s3://${s3server().bucket}/${prefix}/pending/`;
    const fields = { location, endpoint: s3server().endpoint, ...s3TestCredentials };

    const lagging = await run(
      backlogConfig({ ...fields, maxCount: { warning: 3, critical: 25 }, maxOldestAge: '30m' }),
      contextAt(now),
    );
    expect(lagging.status).toBe('critical');
    expect(lagging.summary).toBe(
      `backlog ${location}: 4 entries (warning above 3), 45 KiB in all; oldest label-0001.pdf, 45 min old (critical above 30m), biggest 2026/12/packing-slip-7.zip, 39 KiB`,
    );
    expect(lagging.details).toMatchObject({ count: 4, totalBytes: 46_000 });

    const fine = await run(
      backlogConfig({ ...fields, maxCount: 25, maxOldestAge: '1h' }),
      contextAt(now),
    );
    expect(fine.status).toBe('ok');
  });

  it('is unknown for a bucket that does not exist, and for objects S3 gave no size or date for', async () => {
    const missing = await run(
      backlogConfig({
        location: 's3://no-such-bucket-here/pending/',
        endpoint: s3server().endpoint,
        ...s3TestCredentials,
        maxCount: 10,
      }),
      contextAt(new Date()),
    );
    expect(missing.status).toBe('unknown');
    expect(missing.summary).toMatch(
      /cannot list s3:\/\/no-such-bucket-here\/pending\/: NoSuchBucket/,
    );

    const sparse = await startSparseS3('sparse', ['pending/a.pdf', 'pending/b.pdf']);
    try {
      const outcome = await run(
        backlogConfig({
          location: 's3://sparse/pending/',
          endpoint: sparse.endpoint,
          ...s3TestCredentials,
          maxCount: 10,
          maxOldestAge: '1h',
        }),
        contextAt(new Date()),
      );
      expect(outcome.status).toBe('unknown');
      expect(outcome.summary).toBe(
        'backlog s3://sparse/pending/: 2 entries, total size unknown; S3 reported no size or date for 2 entries',
      );
    } finally {
      await sparse.close();
    }
  });
});

describe('backlog config', () => {
  const invalid = (fields: Record<string, unknown>) => () => backlogConfig(fields);

  it('needs a limit, keeps limits to backlog mode and checks warning against critical', () => {
    expect(invalid({ location: 'file:///var/log/erp/' })).toThrow(
      /checks\[0\]\.mode: backlog needs at least one of maxCount, maxOldestAge, maxTotalBytes/,
    );
    expect(() =>
      parseConfig(
        { checks: [{ id: 'b', type: 'backup', location: 'file:///b/x.gz', maxCount: 3 }] },
        { env: {} },
      ),
    ).toThrow(/checks\[0\]\.maxCount: only applies to mode: backlog/);
    expect(
      invalid({ location: 'file:///l/', maxOldestAge: { warning: '2d', critical: '1d' } }),
    ).toThrow(/checks\[0\]\.maxOldestAge\.warning: must not exceed maxOldestAge\.critical \(1d\)/);
    expect(invalid({ location: 'file:///l/', maxTotalBytes: '5 parsecs' })).toThrow(
      /checks\[0\]\.maxTotalBytes/,
    );
    expect(invalid({ location: 'file:///l/', maxCount: {} })).toThrow(
      /checks\[0\]\.maxCount: give warning, critical or both/,
    );
  });
});
