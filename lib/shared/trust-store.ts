/**
 * The one CA loader and trust store, for every check and client that takes a `ca:` field (TLS
 * certificate, connection pools, HTTP): PEM text or a PEM file path becomes its certificates,
 * each parsed so a truncated or mistyped file fails with a clear reason instead of a handshake
 * error, and they are trusted besides Node's default store, never instead of it.
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

/** True when the text is PEM itself rather than a path to it. */
export const isPemText = (text: string): boolean => text.includes('-----BEGIN');

/**
 * Every `CERTIFICATE` block of `text`, parsed. `where` names the source in errors (`ca`,
 * `tls.ca (/etc/ssl/ca.pem)`). Throws `CaLoadError` when there is none or one is damaged.
 */
export function parsePemCertificates(
  text: string,
  where: string,
): { pem: string; certificate: X509Certificate }[] {
  const blocks = text.match(pemBlock) ?? [];
  if (blocks.length === 0) throw new CaLoadError(`${where}: no PEM certificate found`);
  return blocks.map((pem) => {
    try {
      return { pem, certificate: new X509Certificate(pem) };
    } catch (error) {
      throw new CaLoadError(`${where}: bad PEM certificate: ${(error as Error).message}`);
    }
  });
}

/** Reads a PEM file; the reason is the errno code (`ENOENT`), which is what on-call searches for. */
export async function readPemFile(
  path: string,
  field: string,
  signal?: AbortSignal,
): Promise<string> {
  try {
    return await readFile(path, { encoding: 'utf8', ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    const e = error as NodeJS.ErrnoException;
    throw new CaLoadError(`${field}: cannot read ${path}: ${e.code ?? e.message}`);
  }
}

/** The CA certificates of a `ca` field (`field` is its config name for errors), parsed. */
export async function loadCaCertificates(
  ca: string,
  field: string,
  signal?: AbortSignal,
): Promise<{ pem: string; certificate: X509Certificate }[]> {
  const inline = isPemText(ca);
  const text = inline ? ca : await readPemFile(ca, field, signal);
  return parsePemCertificates(text, inline ? field : `${field} (${ca})`);
}

/** The `ca` field's certificates as PEM blocks (`ca` names the field in errors). */
export function loadExtraCas(ca: string, signal?: AbortSignal): Promise<string[]> {
  return loadCaBundle(ca, 'ca', signal);
}

/** The CA certificates of a `ca` field as PEM blocks, for TLS options. */
export async function loadCaBundle(
  ca: string,
  field: string,
  signal?: AbortSignal,
): Promise<string[]> {
  return (await loadCaCertificates(ca, field, signal)).map((c) => c.pem);
}

/**
 * Node's default store (bundled roots, plus the OS store under --use-system-ca) and the extra
 * CAs, for drivers that take a `ca` list: passing `ca` alone would replace the default store.
 */
export function caListTrusting(extra: readonly string[]): string[] {
  return [...getCACertificates('default'), ...extra];
}

/**
 * Contexts already built, by CA text. Building one parses the whole root store (~35 ms of CPU),
 * which would make a suite of checks sharing one private CA CPU-bound; the key is the
 * certificates' content, so an edited CA file yields a new context.
 */
const contexts = new Map<string, SecureContext>();
const maxContexts = 32;

/** A TLS context trusting the default store and the extra CAs (see `caListTrusting`). */
export function secureContextTrusting(extra: readonly string[]): SecureContext {
  const key = extra.join('\n');
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext({ ca: caListTrusting(extra) });
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
    CERT_CHAIN_TOO_LONG: 'certificate chain too long',
  };
  return code ? (words[code] ?? code) : 'unknown reason';
}
