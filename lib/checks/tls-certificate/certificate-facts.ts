import type { X509Certificate } from 'node:crypto';
import { checkServerIdentity, type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';

export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly serialNumber: string;
  readonly fingerprint256: string;
}

export interface CertificateFacts extends CertificateSummary {
  readonly subjectAltNames: string[];
  readonly notBeforeDate: Date;
  readonly notAfterDate: Date;
  /** The presented chain after the leaf, leaf's issuer first. */
  readonly chain: CertificateSummary[];
}

function distinguishedName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

function isoDate(text: string): string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

function summarize(cert: PeerCertificate): CertificateSummary {
  return {
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    notBefore: isoDate(cert.valid_from),
    notAfter: isoDate(cert.valid_to),
    serialNumber: cert.serialNumber,
    fingerprint256: cert.fingerprint256,
  };
}

const maxChain = 10;

/** What `openssl x509 -noout -text` would show about the leaf, plus the chain as presented. */
export function certificateFacts(leaf: DetailedPeerCertificate): CertificateFacts {
  const chain: CertificateSummary[] = [];
  let current = leaf;
  // A self-signed root's issuerCertificate points at itself; stop there.
  while (
    chain.length < maxChain &&
    current.issuerCertificate &&
    current.issuerCertificate !== current &&
    current.issuerCertificate.fingerprint256 !== current.fingerprint256
  ) {
    current = current.issuerCertificate;
    chain.push(summarize(current));
  }
  return {
    ...summarize(leaf),
    subjectAltNames: (leaf.subjectaltname ?? '').split(/,\s*/).filter((name) => name.length > 0),
    notBeforeDate: new Date(leaf.valid_from),
    notAfterDate: new Date(leaf.valid_to),
    chain,
  };
}

/**
 * The same facts for certificates read from a file: the first is the leaf, the others its chain
 * in file order (as fullchain.pem lists them).
 */
export function fileCertificateFacts(
  certificates: readonly [X509Certificate, ...X509Certificate[]],
): { facts: CertificateFacts; leaf: PeerCertificate } {
  const legacy = certificates.map((c) => c.toLegacyObject() as DetailedPeerCertificate);
  legacy.forEach((cert, index) => {
    cert.issuerCertificate = legacy[index + 1] ?? cert;
  });
  const leaf = legacy[0] as DetailedPeerCertificate;
  return { facts: certificateFacts(leaf), leaf };
}

/** Why the certificate does not cover `name` (DNS name or IP address), or undefined if it does. */
export function hostnameMismatch(name: string, leaf: PeerCertificate): string | undefined {
  return checkServerIdentity(name, leaf)?.message;
}
