import type { CheckOutcome } from '../../core/result.ts';
import { CaBundleError, loadCaBundle, secureContextTrusting } from '../../shared/ca-bundle.ts';
import type { CheckContext } from '../plugin.ts';
import { certificateFacts, hostnameMismatch } from './certificate-facts.ts';
import type { TlsCertificateCheckConfig } from './config.ts';
import { TlsEndpointError } from './endpoint-error.ts';
import { evaluateCertificate } from './evaluate-certificate.ts';
import { fetchPeerCertificate } from './handshake.ts';

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
  try {
    const extra = config.ca ? await loadCaBundle(config.ca, 'ca', context.signal) : undefined;
    const handshake = await fetchPeerCertificate({
      ...target,
      ...(extra ? { secureContext: secureContextTrusting(extra) } : {}),
      signal: context.signal,
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
    if (error instanceof TlsEndpointError || error instanceof CaBundleError) {
      return { status: 'unknown', summary: error.message, details: target };
    }
    throw error;
  }
}
