import { z } from 'zod';
import { requireNotAbove } from '../../config/fields.ts';
import type { CheckConfigFor } from '../plugin.ts';

export const starttlsProtocols = ['postgres'] as const;

export const tlsCertificateFields = {
  host: z.string().min(1).describe('Host name or IP address to connect to'),
  port: z.int().min(1).max(65535).default(443),
  servername: z
    .string()
    .min(1)
    .optional()
    .describe('Name sent as SNI and matched against the certificate (default: host)'),
  warningDays: z.number().min(0).default(30).describe('Warn when the certificate expires within'),
  criticalDays: z.number().min(0).default(7).describe('Critical when it expires within'),
  ca: z
    .string()
    .min(1)
    .optional()
    .describe('PEM text or path of a PEM file with CAs to trust besides the system store'),
  starttls: z
    .enum(starttlsProtocols)
    .optional()
    .describe('Negotiate TLS inside a plain protocol first (postgres: SSLRequest)'),
};

export type TlsCertificateCheckConfig = CheckConfigFor<typeof tlsCertificateFields>;

export function refineTlsCertificateConfig(
  config: z.output<z.ZodObject<typeof tlsCertificateFields>>,
  ctx: z.RefinementCtx,
): void {
  requireNotAbove(
    ctx,
    { path: ['criticalDays'], value: config.criticalDays },
    { name: 'warningDays', value: config.warningDays },
  );
}
