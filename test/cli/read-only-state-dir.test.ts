/**
 * `status` and `history` only read: they work on a state dir the user cannot write (a backup
 * mount, another user's cron dir), while `run` says in one line why it cannot record there.
 * When the tests run as root, chmod does not stop root, so the commands run as `nobody`.
 */
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const root = await mkdtemp(join(tmpdir(), 'healthcheck-readonly-'));
afterAll(async () => {
  await chmod(join(root, 'state'), 0o755).catch(() => {});
  await rm(root, { recursive: true, force: true });
});

const asRoot = process.getuid?.() === 0;
/** Who runs the commands that must not write: `nobody` when we are root, else ourselves. */
const reader = asRoot ? { uid: 65534, gid: 65534 } : {};

describe('a read-only state dir', { timeout: 120_000 }, () => {
  it('status and history read it; run reports it cannot write there', async () => {
    await chmod(root, 0o755);
    const config = join(root, 'healthchecks.yaml');
    await writeFile(
      config,
      `timezone: UTC
checks:
  - id: root-disk
    type: disk
    paths: [/]
    warningPercent: 99
    criticalPercent: 100
`,
    );
    await chmod(config, 0o644);
    const stateDir = join(root, 'state');
    const recorded = await runCli(['run', '--config', config, '--state-dir', stateDir]);
    expect(recorded.code).toBe(0);
    for (const file of await readdir(stateDir)) await chmod(join(stateDir, file), 0o444);
    await chmod(stateDir, 0o555);
    const before = (await readdir(stateDir)).sort();

    const status = await runCli(
      ['status', '--config', config, '--state-dir', stateDir, '--format', 'json'],
      reader,
    );
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).checks[0]).toMatchObject({ check: 'root-disk', status: 'ok' });

    const history = await runCli(
      ['history', '--check', 'root-disk', '--state-dir', stateDir, '--format', 'json'],
      reader,
    );
    expect(history.code).toBe(0);
    expect(JSON.parse(history.stdout).runs).toHaveLength(1);

    const run = await runCli(['run', '--config', config, '--state-dir', stateDir], reader);
    expect(run.code).toBe(74);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot be written/);
    expect(lines[0]).toContain(stateDir);
    expect(lines[0]).toContain('--state-dir');
    expect((await readdir(stateDir)).sort()).toEqual(before);
  });

  it('a state dir path that is a file: every command says so in one line, exit 74', async () => {
    const file = join(root, 'not-a-dir');
    await writeFile(file, 'x');
    const config = join(root, 'healthchecks.yaml');
    for (const args of [
      ['status', '--config', config],
      ['history', '--check', 'root-disk'],
      ['run', '--config', config],
      ['doctor'],
    ]) {
      const result = await runCli([...args, '--state-dir', file]);
      expect(result.code).toBe(74);
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringContaining(`store ${file} is not a directory`),
      ]);
    }
  });
});
