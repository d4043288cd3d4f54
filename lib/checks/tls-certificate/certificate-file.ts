import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { formatBytes } from '../../shared/format-bytes.ts';
import { CaLoadError, isPemText, parsePemCertificates } from '../../shared/trust-store.ts';
import type { CertificateFileLocation } from './config.ts';

/** The file could not be read or holds no certificate: the check is `unknown`. */
export class CertificateFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CertificateFileError';
  }
}

/** Reads the object's bytes; the S3 reader is injected so the SDK loads only for s3:// files. */
export type S3ObjectReader = (
  location: Extract<CertificateFileLocation, { kind: 's3' }>,
  maxBytes: number,
  signal: AbortSignal,
) => Promise<Uint8Array>;

/** A certificate file is a few KB; anything this big is the wrong file. */
export const maxCertificateFileBytes = 1024 * 1024;

const errnoWords: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied (is it readable by the user running the check?)',
  EISDIR: 'a directory, not a file',
};

async function readLocal(path: string, signal: AbortSignal): Promise<Uint8Array> {
  try {
    const bytes = await readFile(path, { signal });
    if (bytes.length > maxCertificateFileBytes) {
      throw new CertificateFileError(
        `${path} is ${formatBytes(bytes.length)}; a certificate file is a few KB`,
      );
    }
    return bytes;
  } catch (error) {
    if (signal.aborted || error instanceof CertificateFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    const words = errnoWords[code];
    throw new CertificateFileError(`cannot read ${path}: ${code}${words ? ` (${words})` : ''}`, {
      cause: error,
    });
  }
}

/**
 * The certificates in a PEM file (leaf first, as in cert.pem and fullchain.pem) or the one in a
 * DER file. "Not a certificate" (a key, a CSR, an HTML error page saved as .pem) is an error
 * naming the file, never a certificate that silently "expired in 1970".
 */
export function parseCertificateBytes(bytes: Uint8Array, where: string): X509Certificate[] {
  const text = Buffer.from(bytes).toString('latin1');
  if (isPemText(text)) {
    try {
      return parsePemCertificates(text, where).map((c) => c.certificate);
    } catch (error) {
      if (error instanceof CaLoadError) {
        const hint = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)
          ? ' (it holds a private key; point file at cert.pem or fullchain.pem)'
          : '';
        throw new CertificateFileError(`${error.message}${hint}`);
      }
      throw error;
    }
  }
  try {
    return [new X509Certificate(Buffer.from(bytes))];
  } catch {
    throw new CertificateFileError(`${where}: not a certificate (neither PEM nor DER)`);
  }
}

export async function readCertificateFile(
  location: CertificateFileLocation,
  display: string,
  readS3: S3ObjectReader,
  signal: AbortSignal,
): Promise<X509Certificate[]> {
  const bytes =
    location.kind === 'local'
      ? await readLocal(location.path, signal)
      : await readS3(location, maxCertificateFileBytes, signal);
  if (bytes.length === 0) throw new CertificateFileError(`${display} is empty`);
  return parseCertificateBytes(bytes, display);
}
