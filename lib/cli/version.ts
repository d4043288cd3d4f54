import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Set by scripts/build-cli.ts (esbuild `define`): the bundle carries its version in its code. */
declare const __HEALTHCHECK_VERSION__: string | undefined;

export class VersionUnknownError extends Error {
  constructor(searched: string) {
    super(`cannot tell its own version: no package.json of healthcheck found above ${searched}`);
    this.name = 'VersionUnknownError';
  }
}

/**
 * The package version: baked into the bundle at build time; read from package.json when run
 * from source (lib/cli or dist/lib/cli). Never a made-up 0.0.0: an install too broken to know
 * its version says so.
 */
export function packageVersion(): string {
  if (typeof __HEALTHCHECK_VERSION__ === 'string') return __HEALTHCHECK_VERSION__;
  const start = dirname(fileURLToPath(import.meta.url));
  let dir = start;
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'healthcheck' && pkg.version) return pkg.version;
    } catch {
      // not here; keep walking up
    }
    dir = dirname(dir);
  }
  throw new VersionUnknownError(start);
}
