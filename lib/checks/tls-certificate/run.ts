import type { CheckOutcome } from '../../core/result.ts';
import type { S3ClientFactory } from '../../s3/s3-client.ts';
import {
  CaLoadError,
  loadCaBundle,
  loadCaCertificates,
  secureContextTrusting,
} from '../../shared/trust-store.ts';
import type { CheckContext } from '../plugin.ts';
import { certificateFacts, fileCertificateFacts, hostnameMismatch } from './certificate-facts.ts';
import {
  CertificateFileError,
  readCertificateFile,
  type S3ObjectReader,
} from './certificate-file.ts';
import { defaultTlsPort, parseCertificateFile, type TlsCertificateCheckConfig } from './config.ts';
import { TlsEndpointError } from './endpoint-error.ts';
import { evaluateCertificate, type TrustVerdict } from './evaluate-certificate.ts';
import { fetchPeerCertificate, handshakeLimit } from './handshake.ts';
import { verifyChain } from './verify-chain.ts';

export interface TlsCertificateCheckDeps {
  /** Builds the S3 client for `file: s3://...` (tests; the default is the SDK's). */
  readonly s3Client?: S3ClientFactory;
}

function isCheckFailure(error: unknown): boolean {
  return (
    error instanceof TlsEndpointError ||
    error instanceof CaLoadError ||
    error instanceof CertificateFileError
  );
}

async function checkEndpoint(
  config: TlsCertificateCheckConfig,
  host: string,
  context: CheckContext,
): Promise<CheckOutcome> {
  const port = config.port ?? defaultTlsPort;
  const servername = config.servername ?? host;
  const base = `${host}:${port}`;
  const endpoint = servername === host ? base : `${base} (${servername})`;
  const target = {
    host,
    port,
    servername,
    ...(config.starttls ? { starttls: config.starttls } : {}),
  };
  // Counted from the check's start, just inside its deadline, so the summary can name the
  // endpoint and how far the connection got.
  const limit = handshakeLimit(endpoint, Math.max(100, config.timeoutSeconds * 900));
  try {
    const extra = config.ca ? await loadCaBundle(config.ca, 'ca', context.signal) : undefined;
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
    if (isCheckFailure(error)) {
      return { status: 'unknown', summary: (error as Error).message, details: target };
    }
    throw error;
  }
}

/**
 * `openssl x509 -in cert.pem -noout -dates` as a check: the same expiry verdicts as an endpoint;
 * trust (chain to the system store plus `ca`) and the host name only when `servername` says
 * which name the certificate must serve.
 */
async function checkFile(
  config: TlsCertificateCheckConfig,
  file: string,
  context: CheckContext,
  deps: TlsCertificateCheckDeps,
): Promise<CheckOutcome> {
  const location = parseCertificateFile(file);
  const display = location.kind === 'local' ? location.path : file;
  const endpoint = config.servername ? `${display} (${config.servername})` : display;
  const target = { file: display, ...(config.servername ? { servername: config.servername } : {}) };
  try {
    const readS3: S3ObjectReader = async (...args) => {
      // The AWS SDK loads only when an s3:// file is checked.
      const [{ s3CertificateReader }, s3] = await Promise.all([
        import('./s3-certificate-reader.ts'),
        import('../../s3/s3-client.ts'),
      ]);
      return s3CertificateReader(config, deps.s3Client ?? s3.defaultS3Client)(...args);
    };
    const certificates = await readCertificateFile(location, display, readS3, context.signal);
    const [first, ...rest] = certificates;
    if (!first) throw new CertificateFileError(`${display}: no certificate found`);
    const { facts, leaf } = fileCertificateFacts([first, ...rest]);
    let verdict: TrustVerdict | undefined;
    if (config.servername) {
      const extra = config.ca
        ? (await loadCaCertificates(config.ca, 'ca', context.signal)).map((c) => c.certificate)
        : [];
      const trust = verifyChain(first, rest, extra, context.now);
      const hostnameError = hostnameMismatch(config.servername, leaf);
      verdict = { ...trust, ...(hostnameError ? { hostnameError } : {}) };
    }
    const outcome = evaluateCertificate(endpoint, facts, verdict, context.now, config);
    return {
      ...outcome,
      details: { ...target, certificatesInFile: certificates.length, ...outcome.details },
    };
  } catch (error) {
    if (isCheckFailure(error)) {
      return { status: 'unknown', summary: (error as Error).message, details: target };
    }
    throw error;
  }
}

export function createRun(deps: TlsCertificateCheckDeps = {}) {
  return function run(
    config: TlsCertificateCheckConfig,
    context: CheckContext,
  ): Promise<CheckOutcome> {
    if (config.file !== undefined) return checkFile(config, config.file, context, deps);
    if (config.host !== undefined) return checkEndpoint(config, config.host, context);
    return Promise.resolve({ status: 'unknown', summary: 'neither host nor file is set' });
  };
}

export const run = createRun();
