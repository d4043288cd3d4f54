import { describe, expect, it } from 'vitest';
import { s3Reads } from '../../lib/checks/aws-access.ts';
import { parseConfig } from '../../lib/config/load-config.ts';
import { awsS3Buckets } from '../../lib/infra/config-facts.ts';

const config = parseConfig(
  {
    checks: [
      {
        id: 'erp-backup',
        type: 'backup',
        location: 's3://erp-backups/db/erp_prod_{yyyyMMdd}.sql.gz',
      },
      {
        id: 'minio-pending',
        type: 'backup',
        mode: 'backlog',
        location: 's3://fulfillment-artifacts/pending/',
        endpoint: 'http://minio.internal:9000',
        maxCount: 10,
      },
      {
        id: 'aws-pending',
        type: 'backup',
        mode: 'backlog',
        location: 's3://erp-exports/pending/',
        maxOldestAge: '1d',
      },
      { id: 'erp-cert-s3', type: 'tls-certificate', file: 's3://erp-certs/live/erp/cert.pem' },
      { id: 'erp-cert-local', type: 'tls-certificate', file: '/etc/letsencrypt/live/erp/cert.pem' },
      { id: 'erp-cert-host', type: 'tls-certificate', host: 'erp.company.vn' },
      { id: 'disk', type: 'disk', paths: ['/'] },
    ],
  },
  { env: {} },
);

describe('AWS access the check plugins declare', () => {
  it('lists the S3 prefixes read through AWS S3, not MinIO, local files or endpoints', () => {
    expect(s3Reads(config.checks)).toEqual([
      { kind: 's3-read', bucket: 'erp-backups', prefix: 'db/erp_prod_' },
      { kind: 's3-read', bucket: 'erp-exports', prefix: 'pending/' },
      { kind: 's3-read', bucket: 'erp-certs', prefix: 'live/erp/cert.pem' },
    ]);
  });

  it('gives the stack the buckets to grant the runner read access to', () => {
    expect(awsS3Buckets(config)).toEqual(['erp-backups', 'erp-exports', 'erp-certs']);
  });
});
