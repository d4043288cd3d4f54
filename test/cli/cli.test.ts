import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dfPercent } from '../support/df.ts';
import { runCli } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

async function configFile(body: string): Promise<string> {
  const file = join(await tempDir(), 'healthchecks.yaml');
  await writeFile(file, body);
  return file;
}

const diskConfig = (warning: number, critical: number) => `
timezone: Asia/Ho_Chi_Minh
suites:
  - id: morning
    schedule: "cron(0 8 * * ? *)"
    checks: [root-disk]
checks:
  - id: root-disk
    name: "Ổ đĩa gốc"
    type: disk
    paths: [/]
    warningPercent: ${warning}
    criticalPercent: ${critical}
`;

describe('healthcheck CLI', () => {
  it('validate exits 0 for a valid file', async () => {
    const file = await configFile(diskConfig(70, 80));
    const run = await runCli(['validate', '--config', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('valid (1 check, 1 suite, time zone Asia/Ho_Chi_Minh)');
  });

  it('validate exits 64 with one line per problem, naming each path', async () => {
    const file = await configFile(
      `${diskConfig(70, 80).replace('cron(0 8 * * ? *)', 'cron(0 8 * *)').replace('Asia/Ho_Chi_Minh', 'Nowhere/City')}    extra: 1\n`,
    );
    const run = await runCli(['validate', '--config', file]);
    expect(run.code).toBe(64);
    const lines = run.stderr
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^timezone: /);
    expect(lines[1]).toMatch(/^suites\[0\]\.schedule: bad schedule/);
    expect(lines[2]).toMatch(/^checks\[0\]\.extra: unknown key/);
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('run --format json matches df and exits by the thresholds', async () => {
    const used = dfPercent('/');
    const cases = [
      [used + 5, used + 10, 'ok', 0],
      [Math.max(0, used - 5), used + 10, 'warning', 1],
      [0, Math.max(0, used - 5), 'critical', 2],
    ] as const;
    for (const [warning, critical, status, code] of cases) {
      const file = await configFile(diskConfig(warning, critical));
      const run = await runCli(['run', '--config', file, '--suite', 'morning', '--format', 'json']);
      const report = JSON.parse(run.stdout);
      expect(report.suite).toBe('morning');
      expect(report.results[0]).toMatchObject({ check: 'root-disk', type: 'disk', status });
      expect(typeof report.results[0].durationMs).toBe('number');
      expect(
        Math.abs(report.results[0].details.filesystems[0].usedPercent - used),
      ).toBeLessThanOrEqual(1);
      expect(Array.isArray(report.alerts)).toBe(true);
      expect(run.code).toBe(code);
    }
  }, 90_000);

  it('run prints a table without colour when not a terminal', async () => {
    const file = await configFile(diskConfig(99, 100));
    const run = await runCli(['run', '--config', file], { env: { NO_COLOR: '' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^STATUS\s+CHECK\s+TYPE\s+TIME\s+SUMMARY\n/);
    expect(run.stdout).toMatch(/OK\s+root-disk\s+disk/);
    expect(run.stdout).not.toContain('\u001b[');
    expect(run.stderr).toBe('');
  });

  it('a dead target makes only its own check unknown (exit 3)', async () => {
    const file = await configFile(
      `${diskConfig(99, 100)}  - id: gone\n    type: disk\n    paths: [/no/such/mount]\n`,
    );
    const run = await runCli(['run', '--config', file, '--format', 'json']);
    const report = JSON.parse(run.stdout);
    expect(report.results.map((r: { status: string }) => r.status)).toEqual(['ok', 'unknown']);
    expect(report.results[1].summary).toMatch(/no such file or directory/);
    expect(run.code).toBe(3);
  });

  it('exits 64 on usage errors', async () => {
    const file = await configFile(diskConfig(70, 80));
    const cases = [
      ['frobnicate'],
      ['run', '--config', file, '--bogus'],
      ['run', '--config', file, '--suite', 'evening'],
      ['run', '--config', file, '--format', 'xml'],
      ['run', '--config', '/no/such/file.yaml'],
    ];
    for (const args of cases) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(64);
      expect(run.stderr.length).toBeGreaterThan(0);
    }
  });

  it('prints help and version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Commands:\n\s+run/);
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const runHelp = await runCli(['run', '--help']);
    expect(runHelp.stdout).toContain('--state-dir');
  });

  it('list shows suites and checks', async () => {
    const file = await configFile(diskConfig(70, 80));
    const run = await runCli(['list', '--config', file, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      suites: [{ id: 'morning', checks: ['root-disk'] }],
      checks: [
        { id: 'root-disk', type: 'disk', severity: 'P3', suites: ['morning'], name: 'Ổ đĩa gốc' },
      ],
    });
  });
});
