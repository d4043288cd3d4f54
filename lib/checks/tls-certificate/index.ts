import { awsS3Read } from '../../s3/s3-fields.ts';
import { defineCheck } from '../plugin.ts';
import { refineTlsCertificateConfig, tlsCertificateFields } from './config.ts';

export const tlsCertificateCheck = defineCheck({
  type: 'tls-certificate',
  description:
    'TLS certificate expiry, chain trust and host name match of an endpoint or a certificate file',
  fields: tlsCertificateFields,
  refine: refineTlsCertificateConfig,
  load: () => import('./run.ts'),
  // Shard balancing weight: one TLS handshake.
  expectedSeconds: 0.5,
  grants: (config) => {
    const read = config.file ? awsS3Read(config.file, config) : undefined;
    if (!read) return [];
    // A key without a date template names one object: grant exactly it, not a prefix.
    const object = config.file !== undefined && !config.file.includes('{');
    return [{ kind: 's3-read', ...read, ...(object ? { object } : {}) }];
  },
});
