import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runTimed } from './timed-process.ts';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const compiledMain = new URL('../../dist/cli/main.js', import.meta.url);
const bundleScript = fileURLToPath(new URL('../../scripts/build-cli.ts', import.meta.url));
const cliEntry = fileURLToPath(new URL('../../bin/healthcheck.js', import.meta.url));

/**
 * Builds `dist/` as `npm run build` does (tsc, then the esbuild CLI bundle in dist/cli), so the
 * CLI's start-up is measured as shipped, not as TypeScript stripped on the fly. tsc still emits
 * when types fail elsewhere in the tree; that is reported, and the bench goes on.
 */
export async function buildCli(): Promise<{ ok: boolean; message: string }> {
  const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
  const run = await runTimed(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: projectRoot,
    timeoutMs: 300_000,
  });
  const bundle = await runTimed(process.execPath, [bundleScript], {
    cwd: projectRoot,
    timeoutMs: 300_000,
  });
  if (bundle.code !== 0 || !existsSync(compiledMain)) {
    return { ok: false, message: `npm run build produced no dist/cli/main.js:\n${bundle.stdout}` };
  }
  if (run.code !== 0) {
    const first = run.stdout.split('\n').slice(0, 5).join('\n');
    return {
      ok: true,
      message: `npm run build reported type errors (dist/ was still emitted):\n${first}`,
    };
  }
  return { ok: true, message: `npm run build: ok (${Math.round(run.wallMs)} ms)` };
}

/** `healthcheck run` through the real entry point on the compiled CLI. */
export function healthcheckRunArgs(configPath: string, stateDir: string): string[] {
  return [cliEntry, 'run', '--config', configPath, '--format', 'json', '--state-dir', stateDir];
}

export interface ReportCounts {
  readonly total: number;
  readonly byStatus: Record<string, number>;
  /** One example summary per non-ok status, to say why a run was not all green. */
  readonly examples: Record<string, string>;
}

export function countReport(stdout: string): ReportCounts | undefined {
  try {
    const report = JSON.parse(stdout) as { results: { status: string; summary: string }[] };
    const byStatus: Record<string, number> = {};
    const examples: Record<string, string> = {};
    for (const r of report.results) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      if (r.status !== 'ok') examples[r.status] ??= r.summary;
    }
    return { total: report.results.length, byStatus, examples };
  } catch {
    return undefined;
  }
}

/** Check types the compiled CLI knows (call after `buildCli`). */
export async function availableCheckTypes(): Promise<string[]> {
  // A URL, not a literal specifier: dist/ does not exist before the first build.
  const registry = new URL('../../dist/lib/checks/registry.js', import.meta.url).href;
  const { checkTypeNames } = (await import(registry)) as { checkTypeNames: () => string[] };
  return checkTypeNames();
}
