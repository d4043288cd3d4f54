import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const dayMs = 86_400_000;

export interface IssuedCertificate {
  readonly key: string;
  readonly cert: string;
}

export interface LeafOptions {
  /** DNS names or `IP:1.2.3.4` entries for subjectAltName. */
  readonly names: readonly string[];
  readonly notBefore?: Date;
  readonly notAfter: Date;
}

export interface TestPki {
  readonly caPem: string;
  readonly caFile: string;
  issue(options: LeafOptions): Promise<IssuedCertificate>;
  selfSigned(names: readonly string[], days: number): Promise<IssuedCertificate>;
  /** A leaf issued by an intermediate CA that the test CA signed (a Let's Encrypt-like chain). */
  viaIntermediate(names: readonly string[], days: number): Promise<ChainedCertificate>;
}

export interface ChainedCertificate extends IssuedCertificate {
  readonly intermediate: string;
}

/** openssl ca's date format: YYYYMMDDHHMMSSZ. */
const opensslDate = (date: Date): string =>
  `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

const sanText = (names: readonly string[]): string =>
  names.map((n) => (n.startsWith('IP:') ? n : `DNS:${n}`)).join(',');

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/**
 * A throwaway CA in `dir` that issues leaf certificates with exact validity dates (openssl ca,
 * because `openssl x509 -req` in OpenSSL 3.0 cannot backdate), so expired and soon-expiring
 * certificates are real certificates.
 */
export async function createTestPki(dir: string): Promise<TestPki> {
  const caKey = join(dir, 'ca.key');
  const caFile = join(dir, 'ca.pem');
  await run('openssl', [
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    caKey,
    '-out',
    caFile,
    '-days',
    '3650',
    '-subj',
    '/CN=Healthcheck Test CA',
  ]);
  await writeFile(join(dir, 'index.txt'), '');
  await writeFile(join(dir, 'serial'), '1000\n');
  const cnf = join(dir, 'ca.cnf');
  await writeFile(
    cnf,
    [
      '[ca]',
      'default_ca = test_ca',
      '[test_ca]',
      `database = ${join(dir, 'index.txt')}`,
      `new_certs_dir = ${dir}`,
      `serial = ${join(dir, 'serial')}`,
      'default_md = sha256',
      'policy = policy_any',
      'copy_extensions = copy',
      'unique_subject = no',
      'email_in_dn = no',
      '[policy_any]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  const caPem = await readFile(caFile, 'utf8');
  let counter = 0;

  return {
    caPem,
    caFile,
    // openssl ca keeps a serial file and index: issue one certificate at a time.
    async issue(options) {
      const n = ++counter;
      const key = join(dir, `leaf-${n}.key`);
      const csr = join(dir, `leaf-${n}.csr`);
      const cert = join(dir, `leaf-${n}.pem`);
      const cn = (options.names[0] ?? 'leaf').replace(/^IP:/, '');
      await run('openssl', [
        'req',
        '-new',
        ...ecKey,
        '-keyout',
        key,
        '-out',
        csr,
        '-subj',
        `/CN=${cn}`,
        '-addext',
        `subjectAltName=${sanText(options.names)}`,
      ]);
      const notBefore = options.notBefore ?? new Date(Date.now() - dayMs);
      await run('openssl', [
        'ca',
        '-batch',
        '-notext',
        '-config',
        cnf,
        '-cert',
        caFile,
        '-keyfile',
        caKey,
        '-in',
        csr,
        '-out',
        cert,
        '-startdate',
        opensslDate(notBefore),
        '-enddate',
        opensslDate(options.notAfter),
      ]);
      return { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') };
    },
    async selfSigned(names, days) {
      const n = ++counter;
      const key = join(dir, `self-${n}.key`);
      const cert = join(dir, `self-${n}.pem`);
      await run('openssl', [
        'req',
        '-x509',
        ...ecKey,
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        String(days),
        '-subj',
        `/CN=${names[0] ?? 'self'}`,
        '-addext',
        `subjectAltName=${sanText(names)}`,
      ]);
      return { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') };
    },
    async viaIntermediate(names, days) {
      const n = ++counter;
      const file = (name: string) => join(dir, `chain-${n}-${name}`);
      const caExt = file('ca.ext');
      await writeFile(
        caExt,
        'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n',
      );
      await run('openssl', [
        'req',
        '-new',
        ...ecKey,
        '-keyout',
        file('int.key'),
        '-out',
        file('int.csr'),
        '-subj',
        '/CN=Healthcheck Test Intermediate',
      ]);
      await run('openssl', [
        'x509',
        '-req',
        '-in',
        file('int.csr'),
        '-CA',
        caFile,
        '-CAkey',
        caKey,
        '-CAcreateserial',
        '-days',
        '400',
        '-extfile',
        caExt,
        '-out',
        file('int.pem'),
      ]);
      const leafExt = file('leaf.ext');
      await writeFile(leafExt, `subjectAltName=${sanText(names)}\n`);
      await run('openssl', [
        'req',
        '-new',
        ...ecKey,
        '-keyout',
        file('leaf.key'),
        '-out',
        file('leaf.csr'),
        '-subj',
        `/CN=${names[0] ?? 'leaf'}`,
      ]);
      await run('openssl', [
        'x509',
        '-req',
        '-in',
        file('leaf.csr'),
        '-CA',
        file('int.pem'),
        '-CAkey',
        file('int.key'),
        '-CAcreateserial',
        '-days',
        String(days),
        '-extfile',
        leafExt,
        '-out',
        file('leaf.pem'),
      ]);
      return {
        key: await readFile(file('leaf.key'), 'utf8'),
        cert: await readFile(file('leaf.pem'), 'utf8'),
        intermediate: await readFile(file('int.pem'), 'utf8'),
      };
    },
  };
}

export const inDays = (days: number, from = Date.now()): Date => new Date(from + days * dayMs);
