/**
 * The CLI as installed for servers and cron: `npm install -g` of this package puts `healthcheck`
 * on PATH; started by an older Node (the system's Node 20 here) it runs on the project's Node 24
 * when that is installed alongside, and otherwise stops with one line naming the version needed
 * before any check runs.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCommand } from '../support/run-cli.ts';
import { createTestPki, inDays } from '../support/tls-certificates.ts';
import { startTlsServer } from '../support/tls-servers.ts';

const root = await mkdtemp(join(tmpdir(), 'healthcheck-install-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  engines: { node: string };
  bin: Record<string, string>;
};
const binSource = await readFile(join(repoRoot, 'bin/healthcheck.js'), 'utf8');
const requiredMajor = Number(/const requiredMajor = (\d+);/.exec(binSource)?.[1]);

/**
 * A Node older than the one required: the machine's own (Debian's is 20; the project's Node 24
 * comes from node_modules). HEALTHCHECK_TEST_OLD_NODE points elsewhere.
 */
const oldNode = process.env['HEALTHCHECK_TEST_OLD_NODE'] ?? '/usr/bin/node';
const npmCli = '/usr/lib/node_modules/npm/bin/npm-cli.js';

const exec = (command: string, args: string[], env: Record<string, string> = {}) =>
  runCommand(command, args, { cwd: root, env: { NO_COLOR: '1', ...env }, timeoutMs: 120_000 });

async function majorOf(node: string): Promise<number> {
  const { stdout } = await exec(node, ['-p', 'process.versions.node']);
  return Number(stdout.split('.')[0]);
}

describe('installing and starting the CLI', { timeout: 180_000 }, () => {
  it('declares the Node it needs, the same one the entry point checks for', () => {
    expect(pkg.engines.node).toBe(`>=${requiredMajor}`);
    expect(requiredMajor).toBe(Number(process.versions.node.split('.')[0]));
    expect(pkg.bin['healthcheck']).toBe('bin/healthcheck.js');
  });

  it('npm install -g puts healthcheck on PATH', async () => {
    const prefix = join(root, 'global');
    const install = await exec(process.execPath, [
      npmCli,
      'install',
      '--global',
      '--prefix',
      prefix,
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      repoRoot,
    ]);
    expect(install.code).toBe(0);
    const path = `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`;
    const version = await exec('healthcheck', ['--version'], { PATH: path });
    expect(version.stdout.trim()).toBe(pkg.version);
    expect(version.code).toBe(0);
  });

  it('under an older Node it runs every check on the project Node 24', async () => {
    const node = oldNode;
    expect(existsSync(node), `an older Node at ${node} (set HEALTHCHECK_TEST_OLD_NODE)`).toBe(true);
    expect(await majorOf(node)).toBeLessThan(requiredMajor);
    // A TLS check: on Node 20 it failed with "node:tls does not provide getCACertificates".
    const pki = await createTestPki(await mkdtemp(join(root, 'pki-')));
    const leaf = await pki.issue({ names: ['localhost'], notAfter: inDays(90) });
    const server = await startTlsServer(leaf);
    try {
      const config = join(root, 'old-node.yaml');
      await writeFile(
        config,
        `timezone: UTC
checks:
  - id: cert
    type: tls-certificate
    host: 127.0.0.1
    port: ${server.port}
    servername: localhost
    ca: ${pki.caFile}
  - id: disk
    type: disk
    paths: [/]
    warningPercent: 99
    criticalPercent: 100
`,
      );
      const run = await exec(node, [
        join(repoRoot, 'bin/healthcheck.js'),
        'run',
        '--config',
        config,
        '--state-dir',
        join(root, 'old-node-state'),
        '--format',
        'json',
      ]);
      expect(run.stderr).toBe('');
      const statuses = JSON.parse(run.stdout).results.map(
        (r: { check: string; status: string }) => [r.check, r.status],
      );
      expect(statuses.sort()).toEqual([
        ['cert', 'ok'],
        ['disk', 'ok'],
      ]);
      expect(run.code).toBe(0);
    } finally {
      await server.close();
    }
  });

  it.runIf(oldNode)(
    'without Node 24 beside it, stops with one line before running anything',
    async () => {
      // The entry point alone, as in an install whose node_modules has no Node 24.
      const bare = join(root, 'bare');
      await mkdir(join(bare, 'bin'), { recursive: true });
      await copyFile(join(repoRoot, 'bin/healthcheck.js'), join(bare, 'bin/healthcheck.js'));
      const stateDir = join(root, 'bare-state');
      const run = await exec(oldNode, [
        join(bare, 'bin/healthcheck.js'),
        'run',
        '--config',
        'whatever.yaml',
        '--state-dir',
        stateDir,
      ]);
      expect(run.code).toBe(78);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`needs Node\\.js ${requiredMajor} or newer, but this is Node\\.js v\\d+`),
      );
      expect(existsSync(stateDir)).toBe(false);
    },
  );
});
