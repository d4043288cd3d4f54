import type { CheckOutcome } from '../../core/result.ts';
import type { CheckContext } from '../plugin.ts';
import { certificateFacts, hostnameMismatch } from './certificate-facts.ts';
import type { TlsCertificateCheckConfig } from './config.ts';
import { TlsEndpointError } from './endpoint-error.ts';
import { evaluateCertificate } from './evaluate-certificate.ts';
import { fetchPeerCertificate, handshakeLimit } from './handshake.ts';
import { loadExtraCas, secureContextTrusting } from './trust-store.ts';

function endpointLabel(config: TlsCertificateCheckConfig, servername: string): string {
  const base = `${config.host}:${config.port}`;
  return servername === config.host ? base : `${base} (${servername})`;
}

export async function run(
  config: TlsCertificateCheckConfig,
  context: CheckContext,
): Promise<CheckOutcome> {
  const servername = config.servername ?? config.host;
  const endpoint = endpointLabel(config, servername);
  const target = {
    host: config.host,
    port: config.port,
    servername,
    ...(config.starttls ? { starttls: config.starttls } : {}),
  };
  // Counted from the check's start, just inside its deadline, so the summary can name the
  // endpoint and how far the connection got.
  const limit = handshakeLimit(endpoint, Math.max(100, config.timeoutSeconds * 900));
  try {
    const extra = config.ca ? await loadExtraCas(config.ca, context.signal) : undefined;
    const handshake = await fetchPeerCertificate({
      ...target,
      ...(extra ? { secureContext: secureContextTrusting(extra) } : {}),
      signal: context.signal,
      limit,
    });
    if (!handshake.certificate.raw) {
      return { status: 'unknown', summary: `${endpoint}: the server presented no certificate` };
    }
    const facts = certificateFacts(handshake.certificate);
    const hostnameError = hostnameMismatch(servername, handshake.certificate);
    const outcome = evaluateCertificate(
      endpoint,
      facts,
      {
        authorized: handshake.authorized,
        ...(handshake.authorizationError
          ? { authorizationError: handshake.authorizationError }
          : {}),
        ...(hostnameError ? { hostnameError } : {}),
      },
      context.now,
      config,
      context.timezone,
    );
    return {
      ...outcome,
      details: {
        ...target,
        protocol: handshake.protocol,
        handshakeMs: handshake.handshakeMs,
        ...outcome.details,
      },
    };
  } catch (error) {
    if (error instanceof TlsEndpointError) {
      return { status: 'unknown', summary: error.message, details: target };
    }
    throw error;
  }
}
