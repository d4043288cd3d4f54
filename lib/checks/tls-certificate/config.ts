import * as z from 'zod';
import { requireNotAbove } from '../../config/fields.ts';
import { refineS3Access, s3AccessFields } from '../../s3/s3-fields.ts';
import type { CheckConfigFor } from '../plugin.ts';

export const starttlsProtocols = ['postgres'] as const;

export const defaultTlsPort = 443;

export const tlsCertificateFields = {
  host: z.string().min(1).optional().describe('Host name or IP address to connect to'),
  port: z
    .int()
    .min(1)
    .max(65535)
    .optional()
    .describe(`Port to connect to (default ${defaultTlsPort}); not with file`),
  file: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Instead of host: a certificate file to read, /etc/letsencrypt/live/site/fullchain.pem, file:///path or s3://bucket/key (PEM or DER; the first certificate is judged, the rest are its chain)',
    ),
  servername: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Name sent as SNI and matched against the certificate (default: host); with file, also judges trust and this name',
    ),
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
  ...s3AccessFields,
};

export type TlsCertificateCheckConfig = CheckConfigFor<typeof tlsCertificateFields>;

/** Where a `file` lives: a local path (after `file://`) or an S3 object. */
export type CertificateFileLocation =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string };

export function parseCertificateFile(file: string): CertificateFileLocation {
  if (file.startsWith('s3://')) {
    const rest = file.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    const key = slash < 0 ? '' : rest.slice(slash + 1);
    if (!bucket || !key || key.endsWith('/')) {
      throw new Error(
        's3:// certificate files need a bucket and an object key: s3://bucket/cert.pem',
      );
    }
    return { kind: 's3', bucket, key };
  }
  const path = file.startsWith('file://') ? file.slice('file://'.length) : file;
  if (!path.startsWith('/')) {
    throw new Error(
      'must be an absolute path (/etc/letsencrypt/live/site/cert.pem), file:///path or s3://bucket/key',
    );
  }
  return { kind: 'local', path };
}

function issue(ctx: z.RefinementCtx, path: string, message: string): void {
  ctx.addIssue({ code: 'custom', path: [path], message });
}

export function refineTlsCertificateConfig(
  config: z.output<z.ZodObject<typeof tlsCertificateFields>>,
  ctx: z.RefinementCtx,
): void {
  requireNotAbove(
    ctx,
    { path: ['criticalDays'], value: config.criticalDays },
    { name: 'warningDays', value: config.warningDays },
  );
  if ((config.host === undefined) === (config.file === undefined)) {
    issue(
      ctx,
      config.host === undefined ? 'host' : 'file',
      config.host === undefined
        ? 'give host (an endpoint to connect to) or file (a certificate file to read)'
        : 'give host or file, not both',
    );
  }
  let location: CertificateFileLocation | undefined;
  if (config.file !== undefined) {
    try {
      location = parseCertificateFile(config.file);
    } catch (error) {
      issue(ctx, 'file', (error as Error).message);
    }
    if (config.port !== undefined) issue(ctx, 'port', 'only applies with host');
    if (config.starttls !== undefined) issue(ctx, 'starttls', 'only applies with host');
    if (config.ca !== undefined && config.servername === undefined) {
      issue(ctx, 'ca', 'with file, trust is judged only when servername is given: add servername');
    }
  }
  refineS3Access(config, ctx, location?.kind === 's3', 'files');
}
