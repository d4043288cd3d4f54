import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { projectRoot } from './healthcheck-cli.ts';
import { runTimed, type TimedRun } from './timed-process.ts';

export type ExternalBench =
  | { readonly status: 'missing'; readonly path: string }
  | { readonly status: 'failed'; readonly path: string; readonly run: TimedRun }
  | {
      readonly status: 'ran';
      readonly path: string;
      readonly run: TimedRun;
      readonly json?: unknown;
    };

/** The last JSON document a script printed: a whole-output document or a last `{...}` line. */
export function lastJson(stdout: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch {
    // Not one document; look for a JSON line.
  }
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    try {
      return JSON.parse(trimmed);
    } catch {
      // Keep looking.
    }
  }
  return undefined;
}

/**
 * Runs a bench script another part of the project owns, in its own process (so its memory and
 * CPU figures are its own), and hands back what it printed.
 */
export async function runExternalBench(
  relativePath: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<ExternalBench> {
  const path = fileURLToPath(new URL(`../../${relativePath}`, import.meta.url));
  if (!existsSync(path)) return { status: 'missing', path: relativePath };
  const run = await runTimed(process.execPath, [path, ...args], { cwd: projectRoot, timeoutMs });
  if (run.code !== 0 || run.timedOut) return { status: 'failed', path: relativePath, run };
  const json = lastJson(run.stdout);
  return { status: 'ran', path: relativePath, run, ...(json !== undefined ? { json } : {}) };
}
