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

export interface RunOptions {
  /** Added to this process's environment. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
  /** Run as another user (tests of permissions run as root, whom chmod does not stop). */
  uid?: number;
  gid?: number;
  /** The spawned process, e.g. to signal it mid-run. */
  onSpawn?: (child: ChildProcess) => void;
}

/** Runs a command to its end, collecting its output (a test's own shell). */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
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
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Spawns the real `bin/healthcheck.js` on the TypeScript source, as a user's shell would. */
export async function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  // Each call gets its own store unless the test picks one, so parallel test files never share
  // the repository's .healthcheck/ directory.
  const isolated =
    args.includes('--state-dir') || options.env?.['HEALTHCHECK_STATE_DIR']
      ? undefined
      : mkdtempSync(join(tmpdir(), 'healthcheck-cli-state-'));
  try {
    return await runCommand(process.execPath, [`${repoRoot}bin/healthcheck.js`, ...args], {
      ...options,
      env: {
        HEALTHCHECK_FROM_SOURCE: '1',
        NO_COLOR: '1',
        ...(isolated ? { HEALTHCHECK_STATE_DIR: isolated } : {}),
        ...options.env,
      },
    });
  } finally {
    if (isolated) rmSync(isolated, { recursive: true, force: true });
  }
}
