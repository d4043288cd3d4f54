import { spawn } from 'node:child_process';

export interface TimedRun {
  /** Wall-clock time of the spawn, to line up with timestamps the process reports. */
  readonly spawnedAt: number;
  readonly wallMs: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

export interface TimedOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Written to stdin, then stdin is closed. */
  readonly input?: string;
  /** The process group is killed past this, so a hung contender cannot stall the bench. */
  readonly timeoutMs: number;
}

/**
 * Runs a command to completion and measures wall time from spawn to exit, the way a scheduler
 * (cron, Nagios) experiences it: process start-up included.
 */
export function runTimed(command: string, args: readonly string[], options: TimedOptions) {
  return new Promise<TimedRun>((resolve, reject) => {
    const spawnedAt = Date.now();
    const started = performance.now();
    // Own process group, so a timeout also ends the plugin processes a shell loop started.
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      resolve({
        spawnedAt,
        wallMs,
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
      });
    });
    child.stdin.end(options.input ?? '');
  });
}
