import { defineCheck } from '../plugin.ts';
import { refineTlsCertificateConfig, tlsCertificateFields } from './config.ts';

export const tlsCertificateCheck = defineCheck({
  type: 'tls-certificate',
  description: 'TLS certificate expiry, chain trust and host name match of an endpoint',
  fields: tlsCertificateFields,
  refine: refineTlsCertificateConfig,
  load: () => import('./run.ts'),
});
