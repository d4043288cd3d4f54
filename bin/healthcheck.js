#!/usr/bin/env node
// Runs the bundled CLI (built by `npm ci`/`npm run build` into dist/cli); falls back to the
// TypeScript source, which Node 24 runs directly, when there is no build or
// HEALTHCHECK_FROM_SOURCE is set.
import { existsSync } from 'node:fs';
import module from 'node:module';

// V8's on-disk code cache: later runs skip recompiling the CLI, the AWS SDK and dynalite, which
// is most of the start-up time for a scheduled or repeated run.
module.enableCompileCache?.();

const compiled = new URL('../dist/cli/main.js', import.meta.url);
const useSource = process.env.HEALTHCHECK_FROM_SOURCE === '1' || !existsSync(compiled);
const { main } = await import(useSource ? '../lib/cli/main.ts' : compiled.href);
const code = await main(process.argv.slice(2));
// Checks that ignored their deadline may hold sockets open; the report is out, so leave now.
process.stdout.write('', () => process.exit(code));
