import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  /** The signal that ended the process, if one did. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Spawns the real `bin/healthcheck.js` on the TypeScript source, as a user's shell would. */
export function runCli(
  args: readonly string[],
  options: {
    env?: Record<string, string>;
    cwd?: string;
    timeoutMs?: number;
    /** Run as another user (tests of permissions run as root, whom chmod does not stop). */
    uid?: number;
    gid?: number;
    /** The spawned process, e.g. to signal it mid-run. */
    onSpawn?: (child: ChildProcess) => void;
  } = {},
): Promise<CliRun> {
  const started = Date.now();
  // Each call gets its own embedded store unless the test picks one, so parallel test files never
  // share (and queue on) the repository's .healthcheck/ directory.
  const isolated =
    args.includes('--state-dir') || options.env?.['HEALTHCHECK_STATE_DIR']
      ? undefined
      : mkdtempSync(join(tmpdir(), 'healthcheck-cli-state-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${repoRoot}bin/healthcheck.js`, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: {
        ...process.env,
        HEALTHCHECK_FROM_SOURCE: '1',
        NO_COLOR: '1',
        ...(isolated ? { HEALTHCHECK_STATE_DIR: isolated } : {}),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
    });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (isolated) rmSync(isolated, { recursive: true, force: true });
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}
