import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/tls-certificate/run.ts';
import { parseConfig } from '../../../lib/config/load-config.ts';
import { createTestPki, inDays, type TestPki } from '../../support/tls-certificates.ts';
import {
  type LoopbackServer,
  refusedPort,
  startHttpServer,
  startPostgresStarttlsServer,
  startSilentServer,
  startTlsServer,
} from '../../support/tls-servers.ts';

type Config = Parameters<typeof run>[0];

function tlsConfig(fields: Record<string, unknown>): Config {
  const config = parseConfig(
    { checks: [{ id: 'cert', type: 'tls-certificate', host: '127.0.0.1', ...fields }] },
    { env: {} },
  );
  return config.checks[0] as Config;
}

const context = () => ({ signal: AbortSignal.timeout(5000), now: new Date(), timezone: 'UTC' });

let dir = '';
let pki: TestPki;
const servers: LoopbackServer[] = [];
const ports: Record<string, number> = {};

async function serve(name: string, issued: { key: string; cert: string }): Promise<void> {
  const server = await startTlsServer(issued);
  servers.push(server);
  ports[name] = server.port;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'healthcheck-tls-'));
  pki = await createTestPki(dir);
  const names = ['erp.test.internal'];
  await serve('valid', await pki.issue({ names, notAfter: inDays(200) }));
  await serve('in3', await pki.issue({ names, notAfter: inDays(3.5) }));
  await serve('in20', await pki.issue({ names, notAfter: inDays(20.5) }));
  await serve(
    'expired',
    await pki.issue({ names, notBefore: inDays(-90), notAfter: inDays(-2.5) }),
  );
  await serve(
    'wrongHost',
    await pki.issue({ names: ['other.test.internal'], notAfter: inDays(200) }),
  );
  await serve('selfSigned', await pki.selfSigned(names, 100));
  await serve('ipSan', await pki.issue({ names: ['IP:127.0.0.1'], notAfter: inDays(60) }));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

const trusted = () => ({ servername: 'erp.test.internal', ca: pki.caFile });

describe('tls-certificate check against loopback TLS servers', () => {
  it('is ok for a trusted, matching certificate far from expiry, with its details', async () => {
    const outcome = await run(tlsConfig({ port: ports['valid'], ...trusted() }), context());
    expect(outcome.status).toBe('ok');
    expect(outcome.summary).toMatch(
      /^127\.0\.0\.1:\d+ \(erp\.test\.internal\) certificate expires in (199|200) days \(\d{4}-\d\d-\d\d\)$/,
    );
    expect(outcome.details).toMatchObject({
      authorized: true,
      hostnameMatches: true,
      subject: 'CN=erp.test.internal',
      issuer: 'CN=Healthcheck Test CA',
      subjectAltNames: ['DNS:erp.test.internal'],
      servername: 'erp.test.internal',
    });
    const details = outcome.details as Record<string, unknown>;
    expect([199, 200]).toContain(details['daysLeft']);
    expect(details['serialNumber']).toMatch(/^[0-9A-F]+$/);
    expect(details['fingerprint256']).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(Date.parse(String(details['notAfter']))).toBeGreaterThan(Date.now());
    // Node reports the verified chain, which ends at the trusted root from `ca`.
    expect(details['chain']).toMatchObject([{ subject: 'CN=Healthcheck Test CA' }]);
  });

  it('accepts the ca as inline PEM text as well as a file path', async () => {
    const outcome = await run(
      tlsConfig({ port: ports['valid'], servername: 'erp.test.internal', ca: pki.caPem }),
      context(),
    );
    expect(outcome.status).toBe('ok');
  });

  it('is critical when the certificate expires within criticalDays (3 days left)', async () => {
    const outcome = await run(tlsConfig({ port: ports['in3'], ...trusted() }), context());
    expect(outcome.status).toBe('critical');
    expect(outcome.details?.['daysLeft']).toBe(3);
    expect(outcome.summary).toContain('expires in 3 days');
  });

  it('is warning when it expires within warningDays (20 days left), ok with lower thresholds', async () => {
    const warning = await run(tlsConfig({ port: ports['in20'], ...trusted() }), context());
    expect(warning.status).toBe('warning');
    expect(warning.details?.['daysLeft']).toBe(20);
    expect(warning.summary).toContain('warning under 30 days, critical under 7');
    const ok = await run(
      tlsConfig({ port: ports['in20'], ...trusted(), warningDays: 14, criticalDays: 3 }),
      context(),
    );
    expect(ok.status).toBe('ok');
  });

  it('is critical for an expired certificate and says how long ago', async () => {
    const outcome = await run(tlsConfig({ port: ports['expired'], ...trusted() }), context());
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toMatch(/certificate expired 2 days ago/);
    expect(outcome.details?.['daysLeft']).toBe(-3);
    expect(outcome.details?.['authorizationError']).toBe('CERT_HAS_EXPIRED');
  });

  it('is critical for a host name the certificate does not cover, still reporting days left', async () => {
    const outcome = await run(tlsConfig({ port: ports['wrongHost'], ...trusted() }), context());
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toMatch(/does not match the host name: .*erp\.test\.internal/);
    expect(outcome.summary).toMatch(/expires in (199|200) days/);
    expect(outcome.details).toMatchObject({ authorized: true, hostnameMatches: false });
  });

  it('is critical for a self-signed certificate, still reporting days left', async () => {
    const outcome = await run(tlsConfig({ port: ports['selfSigned'], ...trusted() }), context());
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toMatch(
      /not trusted: self-signed certificate; expires in (99|100) days/,
    );
    expect(outcome.details).toMatchObject({
      authorized: false,
      authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      hostnameMatches: true,
    });
  });

  it('is critical when the issuing CA is not trusted (no ca given)', async () => {
    const outcome = await run(
      tlsConfig({ port: ports['valid'], servername: 'erp.test.internal' }),
      context(),
    );
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toMatch(/not trusted: (issuer|unable to verify)/);
    expect([199, 200]).toContain(outcome.details?.['daysLeft']);
  });

  it('matches an IP address against IP subjectAltNames (no SNI is sent for IPs)', async () => {
    const ok = await run(tlsConfig({ port: ports['ipSan'], ca: pki.caFile }), context());
    expect(ok.status).toBe('ok');
    const mismatch = await run(tlsConfig({ port: ports['valid'], ca: pki.caFile }), context());
    expect(mismatch.status).toBe('critical');
    expect(mismatch.summary).toMatch(/does not match the host name: .*127\.0\.0\.1/);
  });

  it('is unknown when nothing listens on the port', async () => {
    const port = await refusedPort();
    const outcome = await run(tlsConfig({ port }), context());
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toBe(
      `127.0.0.1:${port}: connection refused (nothing listening on that port?)`,
    );
  });

  it('is unknown for a plain HTTP server, naming the handshake failure', async () => {
    const http = await startHttpServer();
    try {
      const outcome = await run(tlsConfig({ port: http.port }), context());
      expect(outcome.status).toBe('unknown');
      expect(outcome.summary).toMatch(
        new RegExp(`^127\\.0\\.0\\.1:${http.port}: .*(TLS handshake failed|not a TLS port)`),
      );
    } finally {
      await http.close();
    }
  });

  it('is unknown when the host name does not resolve', async () => {
    const outcome = await run(tlsConfig({ host: 'no-such-host.invalid', port: 443 }), context());
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(/^no-such-host\.invalid:443: DNS lookup failed/);
  });

  it('is unknown with a readable reason when the ca file does not exist', async () => {
    const outcome = await run(
      tlsConfig({ port: ports['valid'], ca: join(dir, 'missing.pem') }),
      context(),
    );
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(/^ca: cannot read .*missing\.pem: ENOENT/);
  });

  it('gives up at the deadline and closes its socket to a server that never answers', async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      await expect(
        run(tlsConfig({ port: silent.port }), { ...context(), signal: AbortSignal.timeout(300) }),
      ).rejects.toThrow(/timeout|abort/i);
      expect(Date.now() - started).toBeLessThan(3000);
      await expect.poll(() => silent.openConnections(), { timeout: 2000 }).toBe(0);
    } finally {
      await silent.close();
    }
  });

  it('names host:port and how far it got when the server accepts TCP but never starts TLS', async () => {
    const silent = await startSilentServer();
    try {
      const outcome = await run(tlsConfig({ port: silent.port, timeoutSeconds: 0.5 }), context());
      expect(outcome).toMatchObject({
        status: 'unknown',
        summary: `127.0.0.1:${silent.port}: connected, but no TLS handshake within 0.5s (the server never answered: not a TLS port, or overloaded?)`,
      });
      await expect.poll(() => silent.openConnections(), { timeout: 2000 }).toBe(0);
    } finally {
      await silent.close();
    }
  });

  it('rejects criticalDays above warningDays, naming the field', () => {
    expect(() => tlsConfig({ port: 443, warningDays: 5, criticalDays: 10 })).toThrow(
      /checks\[0\]\.criticalDays: must not exceed warningDays \(5\)/,
    );
    expect(() => tlsConfig({ port: 70000 })).toThrow(/checks\[0\]\.port/);
  });
});

describe('tls-certificate check over PostgreSQL STARTTLS', () => {
  it('reads the certificate after the SSLRequest', async () => {
    const issued = await pki.issue({ names: ['db.test.internal'], notAfter: inDays(12.5) });
    const server = await startPostgresStarttlsServer(issued);
    try {
      const outcome = await run(
        tlsConfig({
          port: server.port,
          servername: 'db.test.internal',
          ca: pki.caFile,
          starttls: 'postgres',
        }),
        context(),
      );
      expect(outcome.status).toBe('warning');
      expect(outcome.details).toMatchObject({
        daysLeft: 12,
        authorized: true,
        starttls: 'postgres',
      });
    } finally {
      await server.close();
    }
  });

  it('is unknown when the server refuses SSL', async () => {
    const issued = await pki.issue({ names: ['db.test.internal'], notAfter: inDays(100) });
    const server = await startPostgresStarttlsServer(issued, true);
    try {
      const outcome = await run(tlsConfig({ port: server.port, starttls: 'postgres' }), context());
      expect(outcome.status).toBe('unknown');
      expect(outcome.summary).toBe(
        `127.0.0.1:${server.port}: PostgreSQL server does not accept SSL (ssl = off)`,
      );
    } finally {
      await server.close();
    }
  });

  it('talks to the real local PostgreSQL (ssl off here) and reports that it refuses SSL', async () => {
    const outcome = await run(tlsConfig({ port: 5432, starttls: 'postgres' }), context());
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(/^127\.0\.0\.1:5432: PostgreSQL server does not accept SSL/);
  });
});
