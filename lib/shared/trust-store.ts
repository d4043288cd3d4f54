/**
 * Extra trusted CAs (`ca:` fields: PEM text or a PEM file path) and TLS contexts that trust them
 * besides Node's default store. Shared by the TLS certificate check and the HTTP client.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext, getCACertificates, type SecureContext } from 'node:tls';

/** The `ca` value cannot be used: unreadable file, no PEM block, or a damaged certificate. */
export class CaLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaLoadError';
  }
}

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The `ca` field's certificates, from PEM text or a PEM file path; each one is parsed to fail early. */
export async function loadExtraCas(ca: string, signal: AbortSignal): Promise<string[]> {
  const inline = ca.includes('-----BEGIN');
  let text = ca;
  if (!inline) {
    try {
      text = await readFile(ca, { encoding: 'utf8', signal });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new CaLoadError(`ca: cannot read ${ca}: ${(error as Error).message}`);
    }
  }
  const blocks = text.match(pemBlock) ?? [];
  const where = inline ? 'ca' : `ca (${ca})`;
  if (blocks.length === 0) throw new CaLoadError(`${where}: no PEM certificate found`);
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new CaLoadError(`${where}: bad PEM certificate: ${(error as Error).message}`);
    }
  }
  return blocks;
}

/**
 * Contexts already built, by CA text. Building one parses the whole root store (~35 ms of CPU), which
 * would make a suite of checks sharing one private CA CPU-bound; the key is the certificates'
 * content, so an edited CA file yields a new context.
 */
const contexts = new Map<string, SecureContext>();
const maxContexts = 32;

/**
 * A TLS context trusting Node's default store (bundled roots, plus the OS store when Node runs with
 * --use-system-ca) and the extra CAs. Passing `ca` to Node replaces its default store, hence the
 * explicit union.
 */
export function secureContextTrusting(extra: readonly string[]): SecureContext {
  const key = extra.join('\n');
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext({ ca: [...getCACertificates('default'), ...extra] });
    if (contexts.size >= maxContexts) {
      const oldest = contexts.keys().next().value;
      if (oldest !== undefined) contexts.delete(oldest);
    }
    contexts.set(key, context);
  }
  return context;
}

/** OpenSSL verify codes (`socket.authorizationError`, `error.code`) in words. */
export function describeVerifyError(code: string | undefined): string {
  const words: Record<string, string> = {
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
    SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      'unable to verify the first certificate (missing intermediate?)',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer not in the trust store',
    UNABLE_TO_GET_ISSUER_CERT: 'issuer certificate not found',
    CERT_HAS_EXPIRED: 'a certificate in the chain has expired',
    CERT_NOT_YET_VALID: 'a certificate in the chain is not yet valid',
    CERT_REVOKED: 'certificate revoked',
  };
  return code ? (words[code] ?? code) : 'unknown reason';
}
