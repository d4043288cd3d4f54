import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/backup/run.ts';
import { parseConfig } from '../../../lib/config/load-config.ts';
import { formatZonedTime } from '../../../lib/shared/format-time.ts';
import { useTempDirs } from '../../support/temp-dir.ts';

type Config = Parameters<typeof run>[0];

const timezone = 'Asia/Ho_Chi_Minh';
const hourMs = 3_600_000;
const tempDir = useTempDirs();

function backupConfig(fields: Record<string, unknown>): Config {
  const config = parseConfig(
    { timezone, checks: [{ id: 'nightly', type: 'backup', ...fields }] },
    { env: {} },
  );
  return config.checks[0] as Config;
}

/** yyyyMMdd of `instant` (plus `days`) in Ho Chi Minh City, computed independently of the plugin. */
function ymd(instant: Date, days = 0): string {
  const text = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(instant.getTime() + days * 24 * hourMs));
  return text.replaceAll('-', '');
}

async function backupFile(
  dir: string,
  name: string,
  bytes: number,
  ageHours: number,
  now: Date,
): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, Buffer.alloc(bytes, 1));
  const mtime = new Date(now.getTime() - ageHours * hourMs);
  await utimes(path, mtime, mtime);
  return path;
}

const contextAt = (now: Date) => ({ signal: AbortSignal.timeout(5000), now, timezone });

describe('backup check, file:// locations', () => {
  it("is ok for today's backup in the config time zone, naming the file and its size", async () => {
    const dir = await tempDir();
    const now = new Date();
    await backupFile(dir, `erp_prod_${ymd(now, -1)}.sql.gz`, 2048, 26, now);
    const today = await backupFile(dir, `erp_prod_${ymd(now)}.sql.gz`, 2048, 2, now);
    const outcome = await run(
      backupConfig({ location: `file://${dir}/erp_prod_{yyyyMMdd}.sql.gz` }),
      contextAt(now),
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.summary).toMatch(
      new RegExp(
        `^backup file://${today.replaceAll('.', '\\.')}: 2\\.0 KiB, modified \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\+07:00 \\(2\\.0 h ago\\); median of the previous 1: 2\\.0 KiB$`,
      ),
    );
    expect(outcome.details).toMatchObject({
      expected: `file://${today}`,
      found: { location: `file://${today}`, sizeBytes: 2048, ageHours: 2 },
    });
  });

  it('resolves the date in the config time zone, not UTC (00:30 in Ho Chi Minh City is 17:30 UTC the day before)', async () => {
    const dir = await tempDir();
    const now = new Date('2026-11-21T17:30:00Z');
    await backupFile(dir, 'erp_prod_20261121.sql.gz', 100, 20, now);
    await backupFile(dir, 'erp_prod_20261122.sql.gz', 100, 0.25, now);
    const outcome = await run(
      backupConfig({ location: `file://${dir}/erp_prod_{yyyyMMdd}.sql.gz` }),
      contextAt(now),
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.details?.['date']).toBe('2026-11-22');
    expect(outcome.summary).toContain('erp_prod_20261122.sql.gz');
  });

  it("dayOffset -1 checks last night's backup by yesterday's date", async () => {
    const dir = await tempDir();
    const now = new Date();
    const yesterday = await backupFile(dir, `erp_prod_${ymd(now, -1)}.sql.gz`, 500, 20, now);
    const outcome = await run(
      backupConfig({ location: `file://${dir}/erp_prod_{yyyyMMdd}.sql.gz`, dayOffset: -1 }),
      contextAt(now),
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.details).toMatchObject({ found: { location: `file://${yesterday}` } });
  });

  it('is critical when the expected file is missing, and says what was found instead', async () => {
    const dir = await tempDir();
    const now = new Date();
    const yesterday = await backupFile(dir, `erp_prod_${ymd(now, -1)}.sql.gz`, 2048, 27, now);
    const outcome = await run(
      backupConfig({ location: `file://${dir}/erp_prod_{yyyyMMdd}.sql.gz` }),
      contextAt(now),
    );
    expect(outcome.status).toBe('critical');
    // Its modification time in the config zone, as utimes set it (whole seconds).
    const modified = formatZonedTime(
      Math.floor((now.getTime() - 27 * hourMs) / 1000) * 1000,
      timezone,
    );
    expect(outcome.summary).toContain(
      `expected backup file://${dir}/erp_prod_${ymd(now)}.sql.gz not found; newest backup found is file://${yesterday} (2.0 KiB, modified ${modified}`,
    );
    expect(outcome.summary).toMatch(/ \(27\.0 h ago\)\)$/);
  });

  it('is critical with "found at all" when nothing of the series exists (even the directory)', async () => {
    const dir = await tempDir();
    const outcome = await run(
      backupConfig({ location: `file://${dir}/missing/erp_prod_{yyyyMMdd}.sql.gz` }),
      contextAt(new Date()),
    );
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toMatch(
      /not found; no backup matching file:\/\/.*\/missing\/erp_prod_\{yyyyMMdd\}\.sql\.gz found at all$/,
    );
  });

  it('is critical when the backup is older than maxAgeHours', async () => {
    const dir = await tempDir();
    const now = new Date();
    await backupFile(dir, 'latest.sql.gz', 2048, 30, now);
    const stale = await run(
      backupConfig({ location: `file://${dir}/latest.sql.gz` }),
      contextAt(now),
    );
    expect(stale.status).toBe('critical');
    expect(stale.summary).toMatch(/latest\.sql\.gz is 30\.0 h old \(limit 26 h\)$/);
    const relaxed = await run(
      backupConfig({ location: `file://${dir}/latest.sql.gz`, maxAgeHours: 36 }),
      contextAt(now),
    );
    expect(relaxed.status).toBe('ok');
  });

  it('is critical for an empty file and for one under minBytes', async () => {
    const dir = await tempDir();
    const now = new Date();
    await backupFile(dir, `erp_prod_${ymd(now)}.sql.gz`, 0, 1, now);
    const empty = await run(
      backupConfig({ location: `file://${dir}/erp_prod_{yyyyMMdd}.sql.gz` }),
      contextAt(now),
    );
    expect(empty.status).toBe('critical');
    expect(empty.summary).toMatch(/is empty \(0 B\)$/);
    await backupFile(dir, `erp_prod_${ymd(now)}.sql.gz`, 500, 1, now);
    const small = await run(
      backupConfig({ location: `file://${dir}/erp_prod_{yyyyMMdd}.sql.gz`, minBytes: 1000 }),
      contextAt(now),
    );
    expect(small.status).toBe('critical');
    expect(small.summary).toMatch(/is 500 B \(minimum 1000 B\)$/);
  });

  it('says an empty backup is empty once, with the usual size beside it', async () => {
    const dir = await tempDir();
    const now = new Date();
    await backupFile(dir, `erp_prod_${ymd(now, -1)}.sql.gz`, 10_000, 26, now);
    await backupFile(dir, `erp_prod_${ymd(now, -2)}.sql.gz`, 10_070, 50, now);
    const today = await backupFile(dir, `erp_prod_${ymd(now)}.sql.gz`, 0, 1, now);
    const outcome = await run(
      backupConfig({ location: `file://${dir}/erp_prod_{yyyyMMdd}.sql.gz` }),
      contextAt(now),
    );
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toBe(
      `backup file://${today} is empty (0 B), while the previous 2 had a median of 9.8 KiB`,
    );
  });

  it('warns when the size shrinks far below the median of previous backups', async () => {
    const dir = await tempDir();
    const now = new Date();
    for (const [days, size] of [
      [-1, 10_000],
      [-2, 10_400],
      [-3, 9_800],
      [-4, 10_000],
      [-5, 50],
    ] as const) {
      await backupFile(dir, `erp_prod_${ymd(now, days)}.sql.gz`, size, 2 - days * 24, now);
    }
    await backupFile(dir, `erp_prod_${ymd(now)}.sql.gz`, 900, 2, now);
    const location = `file://${dir}/erp_prod_{yyyyMMdd}.sql.gz`;
    const shrunk = await run(backupConfig({ location, sizeDeviation: 0.5 }), contextAt(now));
    expect(shrunk.status).toBe('warning');
    expect(shrunk.summary).toMatch(
      /is 900 B, 91% smaller than the median of the previous 5 backups \(9\.8 KiB\); allowed 50%$/,
    );
    expect(shrunk.details).toMatchObject({ history: { count: 5, medianBytes: 10_000 } });
    // Only the newest historyCount backups count: the odd 50-byte one falls out.
    const recent = await run(
      backupConfig({ location, sizeDeviation: 0.5, historyCount: 2 }),
      contextAt(now),
    );
    expect(recent.details).toMatchObject({ history: { count: 2, medianBytes: 10_200 } });
    // The comparison is on by default (50%): a 91% shrink is never ok unless turned off.
    const byDefault = await run(backupConfig({ location }), contextAt(now));
    expect(byDefault.status).toBe('warning');
    expect(byDefault.summary).toContain('91% smaller than the median of the previous 5 backups');
    const unchecked = await run(backupConfig({ location, sizeDeviation: false }), contextAt(now));
    expect(unchecked.status).toBe('ok');
  });

  it('picks the newest match for {*} and walks date tokens in directories', async () => {
    const dir = await tempDir();
    const now = new Date();
    const d = ymd(now);
    const [yyyy, MM, dd] = [d.slice(0, 4), d.slice(4, 6), d.slice(6, 8)];
    await backupFile(dir, `${yyyy}/${MM}/${dd}/erp_${d}_0100.dump`, 100, 5, now);
    const newest = await backupFile(dir, `${yyyy}/${MM}/${dd}/erp_${d}_0300.dump`, 300, 3, now);
    await backupFile(dir, `${yyyy}/${MM}/${dd}/other.txt`, 1, 1, now);
    const outcome = await run(
      // Size comparison off: the day's earlier, smaller dump is not the point here.
      backupConfig({
        location: `file://${dir}/{yyyy}/{MM}/{dd}/erp_{yyyyMMdd}_{*}.dump`,
        sizeDeviation: false,
      }),
      contextAt(now),
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.summary).toContain(
      `backup file://${newest} (newest match for file://${dir}/${yyyy}/${MM}/${dd}/erp_${d}_{*}.dump)`,
    );
    const prefixMode = await run(
      backupConfig({ location: `file://${dir}/${yyyy}/${MM}/${dd}/` }),
      contextAt(now),
    );
    expect(prefixMode.details).toMatchObject({
      found: { location: `file://${dir}/${yyyy}/${MM}/${dd}/other.txt` },
    });
  });

  it('rejects bad locations and S3-only fields with the field path', () => {
    expect(() => backupConfig({ location: '/backups/x.gz' })).toThrow(
      /checks\[0\]\.location: must start with file:\/\/ or s3:\/\//,
    );
    expect(() => backupConfig({ location: 'file:///b/x_{yyyyMM}.gz' })).toThrow(
      /checks\[0\]\.location: unknown token \{yyyyMM\}/,
    );
    expect(() =>
      backupConfig({ location: 'file:///b/x.gz', endpoint: 'http://127.0.0.1:9000' }),
    ).toThrow(/checks\[0\]\.endpoint: only applies to s3:\/\/ locations/);
    expect(() => backupConfig({ location: 's3://just-a-bucket' })).toThrow(
      /checks\[0\]\.location: s3:\/\/ locations need a key or prefix/,
    );
    expect(() => backupConfig({ location: 's3://b/x.gz', accessKeyId: 'AKIA' })).toThrow(
      /checks\[0\]\.secretAccessKey: accessKeyId and secretAccessKey go together/,
    );
  });
});
