import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun, run } from '../../../lib/checks/backup/run.ts';
import { parseConfig } from '../../../lib/config/load-config.ts';
import { type LoopbackS3, s3TestCredentials, startS3 } from '../../support/s3-server.ts';
import { refusedPort, startSilentServer } from '../../support/tls-servers.ts';

type Config = Parameters<typeof run>[0];

const timezone = 'Asia/Ho_Chi_Minh';
const hourMs = 3_600_000;
let s3: LoopbackS3;

beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.close();
});

function ymd(instant: Date, days = 0): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .format(new Date(instant.getTime() + days * 24 * hourMs))
    .replaceAll('-', '');
}

/** Each test gets its own key prefix in the shared bucket. */
const freshPrefix = () => `db-${randomBytes(4).toString('hex')}`;

function s3Config(location: string, fields: Record<string, unknown> = {}): Config {
  const config = parseConfig(
    {
      timezone,
      checks: [
        {
          id: 'nightly',
          type: 'backup',
          location,
          endpoint: s3.endpoint,
          ...s3TestCredentials,
          ...fields,
        },
      ],
    },
    { env: {} },
  );
  return config.checks[0] as Config;
}

const contextAt = (now: Date) => ({ signal: AbortSignal.timeout(10_000), now, timezone });

describe('backup check, s3:// locations on s3rver through the AWS SDK', () => {
  it("is ok when today's object exists and is fresh", async () => {
    const now = new Date();
    const prefix = freshPrefix();
    const key = `${prefix}/erp_prod_${ymd(now)}.sql.gz`;
    await s3.put(key, Buffer.alloc(4096, 7));
    const outcome = await run(
      s3Config(`s3://${s3.bucket}/${prefix}/erp_prod_{yyyyMMdd}.sql.gz`),
      contextAt(now),
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.summary).toMatch(
      new RegExp(
        `^backup s3://${s3.bucket}/${prefix}/erp_prod_${ymd(now)}\\.sql\\.gz: 4\\.0 KiB, modified `,
      ),
    );
    expect(outcome.details).toMatchObject({ found: { sizeBytes: 4096 } });
  });

  it("is critical when today's object is missing, naming yesterday's as what was found", async () => {
    const now = new Date();
    const prefix = freshPrefix();
    await s3.put(
      `${prefix}/erp_prod_${ymd(now, -2)}.sql.gz`,
      'x'.repeat(100),
      new Date(now.getTime() - 50 * hourMs),
    );
    await s3.put(
      `${prefix}/erp_prod_${ymd(now, -1)}.sql.gz`,
      'x'.repeat(100),
      new Date(now.getTime() - 26 * hourMs),
    );
    await s3.put(`${prefix}-other/erp_prod_${ymd(now)}.sql.gz`, 'not this series');
    const outcome = await run(
      s3Config(`s3://${s3.bucket}/${prefix}/erp_prod_{yyyyMMdd}.sql.gz`),
      contextAt(now),
    );
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toContain(
      `expected backup s3://${s3.bucket}/${prefix}/erp_prod_${ymd(now)}.sql.gz not found; newest backup found is s3://${s3.bucket}/${prefix}/erp_prod_${ymd(now, -1)}.sql.gz (100 B, modified `,
    );
    expect(outcome.summary).toMatch(/\(26\.0 h ago\)\)$/);
  });

  it('is critical when the object is older than maxAgeHours (LastModified)', async () => {
    const now = new Date();
    const prefix = freshPrefix();
    await s3.put(`${prefix}/latest.dump`, 'dump', new Date(now.getTime() - 40 * hourMs));
    const outcome = await run(s3Config(`s3://${s3.bucket}/${prefix}/latest.dump`), contextAt(now));
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toMatch(/latest\.dump is 40\.0 h old \(limit 26 h\)$/);
  });

  it('is critical for an empty object', async () => {
    const now = new Date();
    const prefix = freshPrefix();
    await s3.put(`${prefix}/erp_prod_${ymd(now)}.sql.gz`, '');
    const outcome = await run(
      s3Config(`s3://${s3.bucket}/${prefix}/erp_prod_{yyyyMMdd}.sql.gz`),
      contextAt(now),
    );
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toMatch(/is empty \(0 B\)$/);
  });

  it('warns on a 90% shrink against the median of earlier objects under the prefix', async () => {
    const now = new Date();
    const prefix = freshPrefix();
    for (let day = 1; day <= 4; day++) {
      await s3.put(
        `${prefix}/erp_prod_${ymd(now, -day)}.sql.gz`,
        Buffer.alloc(20_000),
        new Date(now.getTime() - day * 24 * hourMs),
      );
    }
    await s3.put(`${prefix}/erp_prod_${ymd(now)}.sql.gz`, Buffer.alloc(2_000));
    const location = `s3://${s3.bucket}/${prefix}/erp_prod_{yyyyMMdd}.sql.gz`;
    const outcome = await run(s3Config(location, { sizeDeviation: 0.5 }), contextAt(now));
    expect(outcome.status).toBe('warning');
    expect(outcome.summary).toMatch(
      /90% smaller than the median of the previous 4 backups \(20 KiB\)/,
    );
  });

  it('picks the newest object for a {*} wildcard', async () => {
    const now = new Date();
    const prefix = freshPrefix();
    const d = ymd(now);
    await s3.put(`${prefix}/${d}/part-a.parquet`, 'aaaa', new Date(now.getTime() - 3 * hourMs));
    await s3.put(`${prefix}/${d}/part-b.parquet`, 'bbbbbbbb', new Date(now.getTime() - 1 * hourMs));
    const outcome = await run(
      s3Config(`s3://${s3.bucket}/${prefix}/{yyyyMMdd}/{*}.parquet`, { sizeDeviation: false }),
      contextAt(now),
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.details).toMatchObject({
      found: { location: `s3://${s3.bucket}/${prefix}/${d}/part-b.parquet`, sizeBytes: 8 },
    });
  });

  it('builds its client through an injected factory, path-style by default with an endpoint', async () => {
    const now = new Date();
    const prefix = freshPrefix();
    await s3.put(`${prefix}/x.gz`, 'abc');
    const { S3Client } = await import('@aws-sdk/client-s3');
    const seen: Record<string, unknown>[] = [];
    const injected = createRun({
      s3Client: (config) => {
        seen.push({ ...config });
        return new S3Client(config);
      },
    });
    const outcome = await injected(s3Config(`s3://${s3.bucket}/${prefix}/x.gz`), contextAt(now));
    expect(outcome.status).toBe('ok');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ endpoint: s3.endpoint, forcePathStyle: true, maxAttempts: 2 });
  });

  it('is unknown when the bucket does not exist', async () => {
    const outcome = await run(
      s3Config('s3://no-such-bucket-here/db/erp_prod_{yyyyMMdd}.sql.gz'),
      contextAt(new Date()),
    );
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(
      /cannot list s3:\/\/no-such-bucket-here\/db\/erp_prod_: NoSuchBucket/,
    );
  });

  it('is unknown when the endpoint refuses connections, and never shows the secret key', async () => {
    const port = await refusedPort();
    const outcome = await run(
      s3Config(`s3://${s3.bucket}/x.gz`, {
        endpoint: `http://127.0.0.1:${port}`,
        secretAccessKey: 'super-secret-key-123',
      }),
      contextAt(new Date()),
    );
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(/cannot read s3:\/\/.*\/x\.gz: .*ECONNREFUSED/);
    expect(JSON.stringify(outcome)).not.toContain('super-secret-key-123');
  });

  it('stops at the deadline when the endpoint never answers (abortSignal reaches the SDK)', async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      await expect(
        run(s3Config(`s3://${s3.bucket}/x.gz`, { endpoint: `http://127.0.0.1:${silent.port}` }), {
          ...contextAt(new Date()),
          signal: AbortSignal.timeout(300),
        }),
      ).rejects.toThrow(/abort|timeout/i);
      expect(Date.now() - started).toBeLessThan(3000);
      await expect.poll(() => silent.openConnections(), { timeout: 2000 }).toBe(0);
    } finally {
      await silent.close();
    }
  });
});
