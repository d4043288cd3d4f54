import { readFile, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { bundleLimitBytes } from '../../bench/lambda-cold-start.ts';
import { bundleFunction, constructBundling } from '../../bench/support/lambda-bundle.ts';
import { packageUse } from '../../lib/checks/runtime-packages.ts';
import { parseConfig } from '../../lib/config/load-config.ts';
import { functionEntry } from '../../lib/infra/project-paths.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

// The runner bundle as the construct builds it for a config with the metric and query checks.
describe('runner bundle with prometheus and sql checks', () => {
  it('includes pg for a postgres sql check, leaves the other drivers out, stays under 1 MiB', async () => {
    const config = parseConfig(
      {
        checks: [
          {
            id: 'lag',
            type: 'prometheus',
            url: 'http://prometheus:9090',
            query: 'up',
            critical: 1,
          },
          {
            id: 'logins',
            type: 'sql',
            engine: 'postgres',
            url: 'postgres://monitor@erp-db/erp',
            query: 'select 1',
            warning: 0,
          },
        ],
      },
      { env: {} },
    );
    const use = packageUse(config.checks);
    expect(use.used).toEqual(['pg']);
    expect(use.unused).toEqual(
      expect.arrayContaining(['@kubernetes/client-node', 'mysql2', 'redis']),
    );
    expect(use.unused).not.toContain('pg');
    const bundling = await constructBundling();
    if (!bundling) throw new Error('lib/infra/node-bundling.ts is missing');
    const built = await bundleFunction(
      functionEntry('runner'),
      await tempDir(),
      bundling.options(false, use.unused),
    );
    const packages = new Map(built.composition);
    expect(packages.get('pg')).toBeGreaterThan(10_000);
    expect(packages.has('mysql2')).toBe(false);
    const code = await readFile(built.outfile, 'utf8');
    // The check types' own code is in: their user-facing wording.
    expect(code).toContain('the query returns a range vector');
    expect(code).toContain('the check runs read-only');
    // The bench's target for a runner without client-node (1 MiB).
    expect((await stat(built.outfile)).size).toBeLessThan(bundleLimitBytes);
  }, 120_000);
});
