import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as poolRun } from '../../lib/checks/connection-pool/run.ts';
import { run as tlsRun } from '../../lib/checks/tls-certificate/run.ts';
import {
  CaLoadError,
  caListTrusting,
  loadCaBundle,
  parsePemCertificates,
} from '../../lib/shared/trust-store.ts';
import { context, poolConfig } from '../checks/connection-pool/pool-servers.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { createTestPki } from '../support/tls-certificates.ts';

const tempDir = useTempDirs();

describe('the shared CA loader', () => {
  it('reads PEM text and PEM files alike, every certificate parsed', async () => {
    const dir = await tempDir();
    const pki = await createTestPki(dir);
    const other = await pki.selfSigned(['other.test'], 30);
    const bundle = join(dir, 'bundle.pem');
    await writeFile(bundle, `# comment\n${pki.caPem}\n${other.cert}\n`);
    expect(await loadCaBundle(pki.caPem, 'ca')).toHaveLength(1);
    const fromFile = await loadCaBundle(bundle, 'ca');
    expect(fromFile).toHaveLength(2);
    expect(parsePemCertificates(fromFile.join('\n'), 'ca')[1]?.certificate.subject).toContain(
      'other.test',
    );
    // Extra CAs are trusted besides the default store, never instead of it.
    const list = caListTrusting(fromFile);
    expect(list.length).toBeGreaterThan(fromFile.length + 10);
    expect(list.slice(-2)).toEqual(fromFile);
  });

  it('names the field and the file for a missing, empty or damaged bundle', async () => {
    const dir = await tempDir();
    const empty = join(dir, 'empty.pem');
    await writeFile(empty, 'not a certificate\n');
    const damaged = join(dir, 'damaged.pem');
    await writeFile(
      damaged,
      '-----BEGIN CERTIFICATE-----\nMIIBbroken\n-----END CERTIFICATE-----\n',
    );
    await expect(loadCaBundle(join(dir, 'missing.pem'), 'tls.ca')).rejects.toThrow(
      /^tls\.ca: cannot read .*missing\.pem: ENOENT$/,
    );
    await expect(loadCaBundle(empty, 'ca')).rejects.toThrow(
      `ca (${empty}): no PEM certificate found`,
    );
    await expect(loadCaBundle(damaged, 'ca')).rejects.toBeInstanceOf(CaLoadError);
    await expect(loadCaBundle(damaged, 'ca')).rejects.toThrow(
      `ca (${damaged}): bad PEM certificate`,
    );
  });

  it('gives tls-certificate and connection-pool the same verdict on the same bad file', async () => {
    const dir = await tempDir();
    const empty = join(dir, 'empty.pem');
    await writeFile(empty, 'nothing here\n');
    const tls = await tlsRun(
      {
        id: 'c',
        type: 'tls-certificate',
        host: '127.0.0.1',
        port: 1,
        warningDays: 30,
        criticalDays: 7,
        ca: empty,
        severity: 'P3',
        timeoutSeconds: 5,
      } as never,
      { signal: AbortSignal.timeout(5_000), now: new Date(), timezone: 'UTC' },
    );
    const pool = await poolRun(
      poolConfig({ engine: 'redis', url: 'rediss://127.0.0.1:6379', tls: { ca: empty } }),
      context(),
    );
    expect(tls).toMatchObject({
      status: 'unknown',
      summary: `ca (${empty}): no PEM certificate found`,
    });
    expect(pool).toMatchObject({
      status: 'unknown',
      summary: `redis: tls.ca (${empty}): no PEM certificate found`,
    });
  });
});
