import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTimed } from './timed-process.ts';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const compiledMain = new URL('../../dist/cli/main.js', import.meta.url);
const bundleScript = fileURLToPath(new URL('../../scripts/build-cli.ts', import.meta.url));

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

/** `healthcheck run` arguments: JSON output (counted) and the phase timings line on stderr. */
export function healthcheckRunArgs(configPath: string, stateDir: string): string[] {
  return ['run', '--config', configPath, '--format', 'json', '--state-dir', stateDir];
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

/** `healthcheck` installed the way README tells servers and cron users to install it. */
export interface InstalledCli {
  /** The `healthcheck` executable on PATH. */
  readonly bin: string;
  /** PATH with Node 24 first (README: install Node 24), as cron's environment would have it. */
  readonly env: NodeJS.ProcessEnv;
  /** How it was installed, for the report. */
  readonly how: string;
}

function npmCli(): string {
  const { stdout } = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' });
  return path.join(stdout.trim(), 'npm', 'bin', 'npm-cli.js');
}

/**
 * `npm pack` (dist/ is already built by `buildCli`), then `npm install -g` of the tarball into a
 * prefix of its own under `workDir`: the README's install for servers and cron. Falls back to
 * installing the checkout itself (what `npm link` does) when the tarball cannot be installed,
 * e.g. without registry access, and says so.
 */
export async function installCli(workDir: string): Promise<InstalledCli> {
  const npm = npmCli();
  const prefix = path.join(workDir, 'global');
  const env = {
    ...process.env,
    PATH: [path.join(prefix, 'bin'), path.dirname(process.execPath), process.env.PATH].join(':'),
  };
  const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
  const pack = await runTimed(
    process.execPath,
    [npm, 'pack', '--ignore-scripts', '--json', '--pack-destination', workDir, ...quiet],
    { cwd: projectRoot, timeoutMs: 600_000 },
  );
  const tarball =
    pack.code === 0 ? (JSON.parse(pack.stdout) as { filename: string }[])[0] : undefined;
  if (tarball) {
    const file = path.join(workDir, path.basename(tarball.filename));
    const install = await runTimed(
      process.execPath,
      [npm, 'install', '--global', '--prefix', prefix, '--prefer-offline', ...quiet, file],
      { timeoutMs: 900_000 },
    );
    if (install.code === 0) {
      return {
        bin: path.join(prefix, 'bin', 'healthcheck'),
        env,
        how: `npm install -g ${path.basename(file)} (packed tarball), Node ${process.version} first on PATH`,
      };
    }
  }
  const link = await runTimed(
    process.execPath,
    [npm, 'install', '--global', '--prefix', prefix, '--ignore-scripts', ...quiet, projectRoot],
    { timeoutMs: 300_000 },
  );
  if (link.code !== 0) throw new Error(`cannot install the CLI: ${link.stderr.slice(0, 500)}`);
  return {
    bin: path.join(prefix, 'bin', 'healthcheck'),
    env,
    how: `npm install -g of the checkout (as npm link; the packed tarball did not install), Node ${process.version} first on PATH`,
  };
}
