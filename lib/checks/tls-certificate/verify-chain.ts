import { X509Certificate } from 'node:crypto';
import { getCACertificates } from 'node:tls';
import type { TrustVerdict } from './evaluate-certificate.ts';

const maxDepth = 10;

let defaultRoots: X509Certificate[] | undefined;

/** Node's default store (bundled roots, plus the OS store under --use-system-ca), parsed once. */
function systemRoots(): X509Certificate[] {
  defaultRoots ??= getCACertificates('default').flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  return defaultRoots;
}

const selfSigned = (cert: X509Certificate): boolean =>
  cert.checkIssued(cert) && cert.verify(cert.publicKey);

const issuedBy = (cert: X509Certificate, issuer: X509Certificate): boolean =>
  cert.checkIssued(issuer) && cert.verify(issuer.publicKey);

/**
 * What a TLS client would say about a certificate read from a file: builds the chain from the
 * leaf through the file's other certificates to a trusted self-signed root (the system store
 * plus `extraCas`), checking each signature and validity period, and reports OpenSSL's error
 * codes so file and endpoint checks word their verdicts alike.
 */
export function verifyChain(
  leaf: X509Certificate,
  presented: readonly X509Certificate[],
  extraCas: readonly X509Certificate[],
  now: Date,
): Pick<TrustVerdict, 'authorized' | 'authorizationError'> {
  const trusted = [...extraCas, ...systemRoots()];
  const isTrusted = (cert: X509Certificate): boolean =>
    trusted.some((t) => t.fingerprint256 === cert.fingerprint256);
  const chain = [leaf];
  for (;;) {
    const current = chain[chain.length - 1] as X509Certificate;
    if (selfSigned(current)) {
      if (isTrusted(current)) break;
      return {
        authorized: false,
        authorizationError:
          chain.length === 1 ? 'DEPTH_ZERO_SELF_SIGNED_CERT' : 'SELF_SIGNED_CERT_IN_CHAIN',
      };
    }
    if (chain.length > maxDepth)
      return { authorized: false, authorizationError: 'CERT_CHAIN_TOO_LONG' };
    const unused = (c: X509Certificate): boolean =>
      !chain.some((inChain) => inChain.fingerprint256 === c.fingerprint256);
    // A trusted issuer wins over a presented copy of it (as OpenSSL prefers the trust store).
    const issuer =
      trusted.find((c) => unused(c) && issuedBy(current, c)) ??
      presented.find((c) => unused(c) && issuedBy(current, c));
    if (!issuer) {
      return {
        authorized: false,
        authorizationError:
          chain.length === 1
            ? 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
            : 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      };
    }
    chain.push(issuer);
  }
  const at = now.getTime();
  for (const cert of chain) {
    if (Date.parse(cert.validTo) < at)
      return { authorized: false, authorizationError: 'CERT_HAS_EXPIRED' };
    if (Date.parse(cert.validFrom) > at) {
      return { authorized: false, authorizationError: 'CERT_NOT_YET_VALID' };
    }
  }
  return { authorized: true };
}
