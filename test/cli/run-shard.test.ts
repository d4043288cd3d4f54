import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../lib/config/load-config.ts';
import { selectChecks } from '../../lib/core/select-checks.ts';
import { shardsOf } from '../../lib/shard/suite-shards.ts';
import { runCli } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const ids = Array.from({ length: 30 }, (_, i) => `disk-${i}`);
const yaml = `
suites:
  - id: fleet
    schedule: "rate(15 minutes)"
    checks: [${ids.join(', ')}]
checks:
${ids.map((id) => `  - {id: ${id}, type: disk, paths: [/], warningPercent: 99.5, criticalPercent: 99.9}`).join('\n')}
`;

async function configFile(): Promise<string> {
  const file = join(await tempDir(), 'healthchecks.yaml');
  await writeFile(file, yaml);
  return file;
}

describe('healthcheck run --shard I/N', () => {
  it('runs exactly the checks the state machine gives that shard, and together all of them', async () => {
    const file = await configFile();
    const expected = shardsOf(
      selectChecks(parseConfigText(yaml, { env: {} }), { suites: ['fleet'] }).checks,
      3,
    ).map((shard) => shard.map((c) => c.id));
    const ran: string[][] = [];
    for (const index of [1, 2, 3]) {
      const run = await runCli([
        'run',
        '--config',
        file,
        '--suite',
        'fleet',
        '--shard',
        `${index}/3`,
        '--format',
        'json',
      ]);
      expect(run.stderr).not.toMatch(/error/i);
      const report = JSON.parse(run.stdout) as { suite: string; results: { check: string }[] };
      // Still a run of the suite: its id keys the scheduled-time slot as on AWS.
      expect(report.suite).toBe('fleet');
      ran.push(report.results.map((r) => r.check));
    }
    expect(ran).toEqual(expected);
    expect(ran.flat().sort()).toEqual([...ids].sort());
    expect(ran.every((shard) => shard.length > 0)).toBe(true);
  }, 60_000);

  it.each([
    ['0/3', /--shard: shard index must be a whole number from 1 to 3, not 0/],
    ['4/3', /--shard: shard index must be a whole number from 1 to 3, not 4/],
    ['x', /--shard: expected I\/N, e\.g\. 2\/4 .*not "x"/],
  ])('refuses --shard %s with exit 64', async (value, message) => {
    const file = await configFile();
    const run = await runCli(['run', '--config', file, '--suite', 'fleet', '--shard', value]);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(message);
  });

  it('splits any selection, e.g. checks named with --check', async () => {
    const file = await configFile();
    const picked = ids.slice(0, 10);
    const ran: string[] = [];
    for (const index of [1, 2]) {
      const run = await runCli([
        'run',
        '--config',
        file,
        ...picked.flatMap((id) => ['--check', id]),
        '--shard',
        `${index}/2`,
        '--format',
        'json',
      ]);
      ran.push(
        ...(JSON.parse(run.stdout) as { results: { check: string }[] }).results.map((r) => r.check),
      );
    }
    expect(ran.sort()).toEqual([...picked].sort());
  }, 60_000);
});
