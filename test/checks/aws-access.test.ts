import { describe, expect, it } from 'vitest';
import { checkGrants } from '../../lib/checks/grants.ts';
import { parseConfig } from '../../lib/config/load-config.ts';

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
    expect(
      checkGrants(config.checks).filter((grant) => 'kind' in grant && grant.kind === 's3-read'),
    ).toEqual([
      { kind: 's3-read', bucket: 'erp-backups', prefix: 'db/erp_prod_' },
      { kind: 's3-read', bucket: 'erp-exports', prefix: 'pending/' },
      { kind: 's3-read', bucket: 'erp-certs', prefix: 'live/erp/cert.pem', object: true },
    ]);
  });
});
