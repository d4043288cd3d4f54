#!/usr/bin/env node
// Runs the bundled CLI (built by `npm ci`/`npm run build` into dist/cli); falls back to the
// TypeScript source, which Node 24 runs directly, when there is no build or
// HEALTHCHECK_FROM_SOURCE is set.
//
// This file must parse and run on old Node versions too: it is what cron starts with whatever
// `node` is first on PATH, and it decides, before any check code loads, whether that Node can
// run healthcheck (node:sqlite, tls.getCACertificates, type stripping need Node 24).
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

/** Keep in step with package.json "engines" (a test checks). */
const requiredMajor = 24;
const major = Number(process.versions.node.split('.')[0]);

if (major < requiredMajor) {
  // A checkout or `npm link`ed install has the project's own Node 24 (the `node` dev dependency).
  const bundled = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (existsSync(bundled) && process.env.HEALTHCHECK_NODE_REEXEC !== '1') {
    const { spawn } = await import('node:child_process');
    const child = spawn(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, HEALTHCHECK_NODE_REEXEC: '1' },
    });
    // Ctrl-C reaches the child through the terminal; a signal sent to this process alone
    // (cron's or systemd's timeout) is passed on.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      process.on(signal, () => child.kill(signal));
    }
    child.on('error', (error) => {
      process.stderr.write(`healthcheck: cannot start ${bundled}: ${error.message}\n`);
      process.exit(78);
    });
    child.on('exit', (code, signal) => {
      if (signal) {
        process.removeAllListeners(signal);
        process.kill(process.pid, signal);
      } else process.exit(code ?? 70);
    });
  } else {
    process.stderr.write(
      `healthcheck: needs Node.js ${requiredMajor} or newer, but this is Node.js ${process.version} (${process.execPath}); install Node.js ${requiredMajor} and run healthcheck with it (put it first on PATH, or call it directly: /path/to/node24/bin/node ${fileURLToPath(import.meta.url)} ...)\n`,
    );
    process.exit(78);
  }
} else {
  // V8's on-disk code cache: later runs skip recompiling the CLI, which is most of the start-up
  // time for a scheduled or repeated run.
  module.enableCompileCache?.();
  const compiled = new URL('../dist/cli/main.js', import.meta.url);
  const useSource = process.env.HEALTHCHECK_FROM_SOURCE === '1' || !existsSync(compiled);
  const { main } = await import(useSource ? '../lib/cli/main.ts' : compiled.href);
  const code = await main(process.argv.slice(2));
  // Checks that ignored their deadline may hold sockets open; the report is out, so leave now.
  process.stdout.write('', () => process.exit(code));
}
