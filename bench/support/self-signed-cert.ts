import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface CertificateFiles {
  readonly certPath: string;
  readonly keyPath: string;
}

/**
 * A self-signed RSA-2048 certificate for 127.0.0.1/localhost, valid `days` days, made with openssl
 * the way an operator would. RSA-2048 because that is what most public endpoints still serve.
 */
export function makeSelfSignedCertificate(dir: string, days = 90): CertificateFiles {
  mkdirSync(dir, { recursive: true });
  const certPath = path.join(dir, 'endpoint-cert.pem');
  const keyPath = path.join(dir, 'endpoint-key.pem');
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-sha256',
        '-days',
        String(days),
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: 'pipe' },
    );
  }
  return { certPath, keyPath };
}
