import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { createTestPki, inDays, type TestPki } from '../../support/tls-certificates.ts';
import {
  type LoopbackServer,
  refusedPort,
  startSilentServer,
  startTlsServer,
} from '../../support/tls-servers.ts';

const tempDir = useTempDirs();
let pkiDir = '';
let pki: TestPki;
const servers: LoopbackServer[] = [];
const ports: Record<string, number> = {};

beforeAll(async () => {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  pkiDir = await mkdtemp(join(tmpdir(), 'healthcheck-tls-cli-'));
  pki = await createTestPki(pkiDir);
  const names = ['erp.test.internal'];
  const add = async (name: string, issued: { key: string; cert: string }) => {
    const server = await startTlsServer(issued);
    servers.push(server);
    ports[name] = server.port;
  };
  await add('valid', await pki.issue({ names, notAfter: inDays(200) }));
  await add('in20', await pki.issue({ names, notAfter: inDays(20.5) }));
  await add('expired', await pki.issue({ names, notBefore: inDays(-60), notAfter: inDays(-1.5) }));
  ports['refused'] = await refusedPort();
  const silent = await startSilentServer();
  servers.push(silent);
  ports['silent'] = silent.port;
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  const { rm } = await import('node:fs/promises');
  await rm(pkiDir, { recursive: true, force: true });
});

async function configFile(): Promise<{ file: string; stateDir: string }> {
  const dir = await tempDir();
  const check = (id: string, port: number | undefined, extra = '') => `
  - id: ${id}
    type: tls-certificate
    host: 127.0.0.1
    port: ${port}
    servername: erp.test.internal
    ca: ${pki.caFile}${extra}`;
  const body = `timezone: Asia/Ho_Chi_Minh
checks:${check('cert-valid', ports['valid'])}${check('cert-soon', ports['in20'])}${check('cert-expired', ports['expired'])}${check('cert-refused', ports['refused'])}${check('cert-hung', ports['silent'], '\n    timeoutSeconds: 3')}
`;
  const file = join(dir, 'healthchecks.yaml');
  await writeFile(file, body);
  return { file, stateDir: join(dir, 'state') };
}

describe('tls-certificate through the healthcheck CLI', () => {
  it('exits with each status code and reports days left in the JSON', async () => {
    const { file, stateDir } = await configFile();
    const cases = [
      ['cert-valid', 'ok', 0],
      ['cert-soon', 'warning', 1],
      ['cert-expired', 'critical', 2],
      ['cert-refused', 'unknown', 3],
      ['cert-hung', 'unknown', 3],
    ] as const;
    const runs = await Promise.all(
      cases.map(([id]) =>
        runCli([
          'run',
          '--config',
          file,
          '--check',
          id,
          '--format',
          'json',
          '--state-dir',
          stateDir + id,
        ]),
      ),
    );
    for (const [i, [id, status, code]] of cases.entries()) {
      const cli = runs[i];
      expect(cli?.code, `${id}: ${cli?.stderr}`).toBe(code);
      const report = JSON.parse(cli?.stdout ?? '{}');
      expect(report.results).toHaveLength(1);
      expect(report.results[0]).toMatchObject({ check: id, type: 'tls-certificate', status });
    }
    const byId = (id: string) =>
      JSON.parse(runs[cases.findIndex((c) => c[0] === id)]?.stdout ?? '{}').results[0];
    expect(byId('cert-soon').details.daysLeft).toBe(20);
    expect(byId('cert-expired').summary).toMatch(/certificate expired 1 day ago/);
    expect(byId('cert-refused').summary).toMatch(/connection refused/);
    expect(byId('cert-hung').summary).toBe(
      `127.0.0.1:${ports['silent']} (erp.test.internal): connected, but no TLS handshake within 2.7s (the server never answered: not a TLS port, or overloaded?)`,
    );
  });

  it('lists the type and validates a bad field with its path', async () => {
    const { file } = await configFile();
    const list = await runCli(['list', '--config', file]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('tls-certificate');
    const bad = join(await tempDir(), 'bad.yaml');
    await writeFile(
      bad,
      'checks:\n  - id: c\n    type: tls-certificate\n    host: example.test\n    port: "https"\n',
    );
    const validate = await runCli(['validate', '--config', bad]);
    expect(validate.code).toBe(64);
    expect(validate.stderr).toMatch(/checks\[0\]\.port: .*number/);
  });
});
