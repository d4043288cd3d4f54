import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.ts';
import { useS3 } from '../../support/s3-server.ts';
import { useTempDirs } from '../../support/temp-dir.ts';

const timezone = 'Asia/Ho_Chi_Minh';
const hourMs = 3_600_000;
const tempDir = useTempDirs();
const s3server = useS3();

function ymd(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .format(instant)
    .replaceAll('-', '');
}

/** Today's dates as the CLI will see them: now and a little later, in case midnight falls between. */
const todays = (): string[] => [...new Set([ymd(new Date()), ymd(new Date(Date.now() + 120_000))])];

describe('backup through the healthcheck CLI', () => {
  it('exits 0 / 1 / 2 for a fresh file, a shrunken S3 object and a missing file', async () => {
    const dir = await tempDir();
    const prefix = `cli-${randomBytes(4).toString('hex')}`;
    for (const d of todays()) {
      await writeFile(join(dir, `erp_prod_${d}.sql.gz`), Buffer.alloc(1000));
      await s3server().put(`${prefix}/erp_prod_${d}.sql.gz`, Buffer.alloc(100));
    }
    for (let day = 1; day <= 3; day++) {
      const earlier = ymd(new Date(Date.now() - day * 24 * hourMs));
      await s3server().put(
        `${prefix}/erp_prod_${earlier}.sql.gz`,
        Buffer.alloc(1000),
        new Date(Date.now() - day * 24 * hourMs),
      );
    }
    const file = join(dir, 'healthchecks.yaml');
    await writeFile(
      file,
      `timezone: ${timezone}
checks:
  - id: erp-backup-file
    type: backup
    location: file://${dir}/erp_prod_{yyyyMMdd}.sql.gz
  - id: erp-backup-s3
    type: backup
    location: s3://${s3server().bucket}/${prefix}/erp_prod_{yyyyMMdd}.sql.gz
    endpoint: ${s3server().endpoint}
    sizeDeviation: 0.5
  - id: erp-backup-missing
    type: backup
    location: file://${dir}/nothing_{yyyyMMdd}.sql.gz
`,
    );
    // The S3 check takes its credentials from the standard AWS environment variables.
    const env = {
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    };
    const cases = [
      ['erp-backup-file', 'ok', 0],
      ['erp-backup-s3', 'warning', 1],
      ['erp-backup-missing', 'critical', 2],
    ] as const;
    const runs = await Promise.all(
      cases.map(([id]) =>
        runCli(
          [
            'run',
            '--config',
            file,
            '--check',
            id,
            '--format',
            'json',
            '--state-dir',
            join(dir, id),
          ],
          { env },
        ),
      ),
    );
    for (const [i, [id, status, code]] of cases.entries()) {
      const cli = runs[i];
      expect(cli?.code, `${id}: ${cli?.stderr}`).toBe(code);
      const result = JSON.parse(cli?.stdout ?? '{}').results[0];
      expect(result).toMatchObject({ check: id, type: 'backup', status });
    }
    const summary = (i: number) => JSON.parse(runs[i]?.stdout ?? '{}').results[0].summary;
    expect(summary(1)).toMatch(/90% smaller than the median of the previous \d backups/);
    expect(summary(2)).toMatch(/^expected backup file:\/\/.*\/nothing_\d{8}\.sql\.gz not found/);
  });
});
