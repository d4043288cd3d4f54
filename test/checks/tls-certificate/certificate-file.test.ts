import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun, run } from '../../../lib/checks/tls-certificate/run.ts';
import { parseConfig } from '../../../lib/config/load-config.ts';
import {
  type LoopbackS3,
  recordingS3Client,
  s3TestCredentials,
  startS3,
} from '../../support/s3-server.ts';
import { createTestPki, inDays, type TestPki } from '../../support/tls-certificates.ts';

type Config = Parameters<typeof run>[0];

const exec = promisify(execFile);
const name = 'erp.company.vn';

function fileConfig(fields: Record<string, unknown>): Config {
  const config = parseConfig(
    { checks: [{ id: 'erp-cert-file', type: 'tls-certificate', ...fields }] },
    { env: {} },
  );
  return config.checks[0] as Config;
}

const context = () => ({ signal: AbortSignal.timeout(10_000), now: new Date(), timezone: 'UTC' });

let dir = '';
let pki: TestPki;
let s3: LoopbackS3;
const files: Record<string, string> = {};

async function place(file: string, text: string | Buffer): Promise<string> {
  const path = join(dir, 'live', file);
  await writeFile(path, text);
  files[file] = path;
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'healthcheck-certfile-'));
  await mkdir(join(dir, 'live'));
  pki = await createTestPki(dir);
  const names = [name];
  const valid = await pki.issue({ names, notAfter: inDays(80.5) });
  await place('cert.pem', valid.cert);
  await place('privkey.pem', valid.key);
  await place('fullchain-with-root.pem', `${valid.cert}${pki.caPem}`);
  await place('expiring.pem', (await pki.issue({ names, notAfter: inDays(20.5) })).cert);
  await place('nearly.pem', (await pki.issue({ names, notAfter: inDays(3.5) })).cert);
  await place(
    'expired.pem',
    (await pki.issue({ names, notBefore: inDays(-90), notAfter: inDays(-2.5) })).cert,
  );
  await place(
    'other-name.pem',
    (await pki.issue({ names: ['other.vn'], notAfter: inDays(80) })).cert,
  );
  await place('self-signed.pem', (await pki.selfSigned(names, 100)).cert);
  const chained = await pki.viaIntermediate(names, 90);
  await place('chained-cert.pem', chained.cert);
  await place('chained-fullchain.pem', `${chained.cert}${chained.intermediate}`);
  await place('not-a-cert.pem', '<html><body>502 Bad Gateway</body></html>\n');
  const der = await exec('openssl', ['x509', '-in', files['cert.pem'] ?? '', '-outform', 'DER'], {
    encoding: 'buffer',
  });
  await place('cert.der', der.stdout);
  await place('damaged.pem', valid.cert.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA'));
  s3 = await startS3();
  await s3.put('certs/erp.company.vn/cert.pem', valid.cert);
  await s3.put('certs/erp.company.vn/expired.pem', await readFile(files['expired.pem'] ?? ''));
  await s3.put('certs/erp.company.vn/not-a-cert.pem', 'just text');
}, 60_000);

afterAll(async () => {
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('tls-certificate with file: a PEM on disk', () => {
  it('is ok far from expiry and reports the dates like openssl x509 -dates', async () => {
    const outcome = await run(fileConfig({ file: files['cert.pem'] }), context());
    expect(outcome.status).toBe('ok');
    expect(outcome.summary).toMatch(
      new RegExp(
        `^${files['cert.pem']} certificate expires in 80 days \\(\\d{4}-\\d\\d-\\d\\d\\)$`,
      ),
    );
    expect(outcome.details).toMatchObject({
      file: files['cert.pem'],
      daysLeft: 80,
      subject: `CN=${name}`,
      issuer: 'CN=Healthcheck Test CA',
      subjectAltNames: [`DNS:${name}`],
      trustChecked: false,
      certificatesInFile: 1,
    });
    // Without servername, trust is not judged: nothing says "authorized".
    expect(outcome.details).not.toHaveProperty('authorized');
  });

  it('gives the same expiry verdicts as an endpoint: warning, critical, expired', async () => {
    const expiring = await run(fileConfig({ file: `file://${files['expiring.pem']}` }), context());
    expect(expiring).toMatchObject({ status: 'warning', details: { daysLeft: 20 } });
    expect(expiring.summary).toMatch(
      /expires in 20 days \(\d{4}-\d\d-\d\d\) \(warning under 30 days, critical under 7\)$/,
    );
    const nearly = await run(fileConfig({ file: files['nearly.pem'] }), context());
    expect(nearly).toMatchObject({ status: 'critical', details: { daysLeft: 3 } });
    const expired = await run(fileConfig({ file: files['expired.pem'] }), context());
    expect(expired.status).toBe('critical');
    expect(expired.summary).toMatch(/certificate expired 2 days ago \(\d{4}-\d\d-\d\d\)/);
    const relaxed = await run(
      fileConfig({ file: files['expiring.pem'], warningDays: 14, criticalDays: 7 }),
      context(),
    );
    expect(relaxed.status).toBe('ok');
  });

  it('reads DER as well as PEM', async () => {
    const outcome = await run(fileConfig({ file: files['cert.der'] }), context());
    expect(outcome).toMatchObject({ status: 'ok', details: { daysLeft: 80 } });
  });

  it('is unknown, naming the file, for something that is not a certificate', async () => {
    const html = await run(fileConfig({ file: files['not-a-cert.pem'] }), context());
    expect(html).toMatchObject({
      status: 'unknown',
      summary: `${files['not-a-cert.pem']}: not a certificate (neither PEM nor DER)`,
    });
    const key = await run(fileConfig({ file: files['privkey.pem'] }), context());
    expect(key.status).toBe('unknown');
    expect(key.summary).toBe(
      `${files['privkey.pem']}: no PEM certificate found (it holds a private key; point file at cert.pem or fullchain.pem)`,
    );
    const damaged = await run(fileConfig({ file: files['damaged.pem'] }), context());
    expect(damaged.status).toBe('unknown');
    expect(damaged.summary).toMatch(/damaged\.pem: bad PEM certificate/);
  });

  it('is unknown with the reason for a missing, unreadable or directory path', async () => {
    const missing = join(dir, 'live', 'gone.pem');
    expect(await run(fileConfig({ file: missing }), context())).toMatchObject({
      status: 'unknown',
      summary: `cannot read ${missing}: ENOENT (no such file)`,
    });
    const folder = await run(fileConfig({ file: join(dir, 'live') }), context());
    expect(folder.summary).toMatch(/: EISDIR \(a directory, not a file\)$/);
    if (process.getuid?.() !== 0) {
      const locked = await place('locked.pem', await readFile(files['cert.pem'] ?? ''));
      await chmod(locked, 0o000);
      const outcome = await run(fileConfig({ file: locked }), context());
      expect(outcome.summary).toMatch(/: EACCES \(permission denied/);
    }
  });
});

describe('tls-certificate with file and servername: trust and host name judged', () => {
  it('is ok for a chain to a trusted CA and the right name', async () => {
    const outcome = await run(
      fileConfig({ file: files['cert.pem'], servername: name, ca: pki.caFile }),
      context(),
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.summary).toMatch(
      new RegExp(`cert\\.pem \\(${name.replaceAll('.', '\\.')}\\) certificate expires in 80 days`),
    );
    expect(outcome.details).toMatchObject({
      authorized: true,
      hostnameMatches: true,
      servername: name,
    });
  });

  it('follows an intermediate in fullchain.pem, and says the intermediate is missing from cert.pem alone', async () => {
    const full = await run(
      fileConfig({ file: files['chained-fullchain.pem'], servername: name, ca: pki.caFile }),
      context(),
    );
    expect(full).toMatchObject({
      status: 'ok',
      details: { authorized: true, certificatesInFile: 2 },
    });
    expect((full.details as { chain: { subject: string }[] }).chain[0]?.subject).toBe(
      'CN=Healthcheck Test Intermediate',
    );
    const leafOnly = await run(
      fileConfig({ file: files['chained-cert.pem'], servername: name, ca: pki.caFile }),
      context(),
    );
    expect(leafOnly.status).toBe('critical');
    expect(leafOnly.summary).toContain(
      'certificate not trusted: unable to verify the first certificate (missing intermediate?)',
    );
    expect(leafOnly.details).toMatchObject({
      authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
  });

  it('is critical, with days left, for an untrusted CA, a self-signed certificate or the wrong name', async () => {
    const untrusted = await run(
      fileConfig({ file: files['fullchain-with-root.pem'], servername: name }),
      context(),
    );
    expect(untrusted.status).toBe('critical');
    expect(untrusted.summary).toMatch(
      /not trusted: self-signed certificate in the chain; expires in 80 days/,
    );
    const self = await run(
      fileConfig({ file: files['self-signed.pem'], servername: name }),
      context(),
    );
    expect(self.details).toMatchObject({ authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const wrong = await run(
      fileConfig({ file: files['other-name.pem'], servername: name, ca: pki.caFile }),
      context(),
    );
    expect(wrong.status).toBe('critical');
    expect(wrong.summary).toContain(
      `does not match the host name: Hostname/IP does not match certificate's altnames: Host: ${name}. is not in the cert's altnames: DNS:other.vn`,
    );
    expect(wrong.details).toMatchObject({ authorized: true, hostnameMatches: false, daysLeft: 79 });
  });

  it('an expired certificate is critical once, as expired, not also as untrusted', async () => {
    const outcome = await run(
      fileConfig({ file: files['expired.pem'], servername: name, ca: pki.caFile }),
      context(),
    );
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).not.toContain('not trusted');
    expect(outcome.details).toMatchObject({ authorizationError: 'CERT_HAS_EXPIRED' });
  });
});

describe('tls-certificate with file: an s3:// object (s3rver)', () => {
  const s3Fields = () => ({ endpoint: s3.endpoint, ...s3TestCredentials });

  it('reads the object and gives the same verdicts', async () => {
    const ok = await run(
      fileConfig({ file: `s3://${s3.bucket}/certs/erp.company.vn/cert.pem`, ...s3Fields() }),
      context(),
    );
    expect(ok.status).toBe('ok');
    expect(ok.summary).toMatch(
      new RegExp(
        `^s3://${s3.bucket}/certs/erp\\.company\\.vn/cert\\.pem certificate expires in 80 days`,
      ),
    );
    const expired = await run(
      fileConfig({ file: `s3://${s3.bucket}/certs/erp.company.vn/expired.pem`, ...s3Fields() }),
      context(),
    );
    expect(expired.status).toBe('critical');
    expect(expired.summary).toMatch(/expired 2 days ago/);
    const text = await run(
      fileConfig({ file: `s3://${s3.bucket}/certs/erp.company.vn/not-a-cert.pem`, ...s3Fields() }),
      context(),
    );
    expect(text).toMatchObject({
      status: 'unknown',
      summary: `s3://${s3.bucket}/certs/erp.company.vn/not-a-cert.pem: not a certificate (neither PEM nor DER)`,
    });
  });

  it('is unknown for a missing object, naming it and the S3 error', async () => {
    const outcome = await run(
      fileConfig({ file: `s3://${s3.bucket}/certs/none.pem`, ...s3Fields() }),
      context(),
    );
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(
      new RegExp(`^cannot read s3://${s3.bucket}/certs/none\\.pem: NoSuchKey`),
    );
  });

  it('builds its client through the injected factory with the check\u2019s S3 access', async () => {
    const { factory, seen } = recordingS3Client();
    const injected = createRun({ s3Client: factory });
    const outcome = await injected(
      fileConfig({ file: `s3://${s3.bucket}/certs/erp.company.vn/cert.pem`, ...s3Fields() }),
      context(),
    );
    expect(outcome.status).toBe('ok');
    expect(seen[0]).toMatchObject({ endpoint: s3.endpoint, forcePathStyle: true });
  });
});

describe('tls-certificate file config', () => {
  const invalid = (fields: Record<string, unknown>) => () => fileConfig(fields);

  it('needs exactly one of host and file, and rejects endpoint-only fields with file', () => {
    expect(invalid({})).toThrow(
      /checks\[0\]\.host: give host \(an endpoint to connect to\) or file/,
    );
    expect(invalid({ host: 'erp.company.vn', file: '/x.pem' })).toThrow(
      /checks\[0\]\.file: give host or file, not both/,
    );
    expect(invalid({ file: '/x.pem', port: 8443 })).toThrow(
      /checks\[0\]\.port: only applies with host/,
    );
    expect(invalid({ file: '/x.pem', starttls: 'postgres' })).toThrow(
      /starttls: only applies with host/,
    );
    expect(invalid({ file: '/x.pem', ca: '/ca.pem' })).toThrow(/checks\[0\]\.ca: .*add servername/);
  });

  it('names bad file locations and S3 fields on a local file', () => {
    expect(invalid({ file: 'cert.pem' })).toThrow(/checks\[0\]\.file: must be an absolute path/);
    expect(invalid({ file: 's3://bucket-only' })).toThrow(/need a bucket and an object key/);
    expect(invalid({ file: '/x.pem', endpoint: 'http://minio:9000' })).toThrow(
      /checks\[0\]\.endpoint: only applies to s3:\/\/ files/,
    );
    expect(invalid({ host: 'x.vn', region: 'ap-southeast-1' })).toThrow(
      /checks\[0\]\.region: only applies/,
    );
    expect(() =>
      fileConfig({ file: 's3://certs/erp/cert.pem', region: 'ap-southeast-1' }),
    ).not.toThrow();
  });
});
