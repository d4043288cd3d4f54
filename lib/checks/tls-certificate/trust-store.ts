import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { getCACertificates } from 'node:tls';
import { TlsEndpointError } from './endpoint-error.ts';

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
      throw new TlsEndpointError(`ca: cannot read ${ca}: ${(error as Error).message}`);
    }
  }
  const blocks = text.match(pemBlock) ?? [];
  const where = inline ? 'ca' : `ca (${ca})`;
  if (blocks.length === 0) throw new TlsEndpointError(`${where}: no PEM certificate found`);
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new TlsEndpointError(`${where}: bad PEM certificate: ${(error as Error).message}`);
    }
  }
  return blocks;
}

/**
 * The trust list for a handshake: Node's default store (bundled roots, plus the OS store when
 * Node runs with --use-system-ca) and the configured extra CAs. Passing `ca` to Node replaces its
 * default store, hence the explicit union.
 */
export function trustList(extra: readonly string[]): string[] {
  return [...getCACertificates('default'), ...extra];
}
