import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfigText } from '../../lib/config/load-config.ts';
import { ConfigError } from '../../lib/core/errors.ts';
import { repoRoot } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const valid = `
timezone: Asia/Ho_Chi_Minh
defaults:
  timeoutSeconds: 12
  severity: P2
suites:
  - id: morning
    schedule: "cron(0 8 * * ? *)"
    checks: [root-disk]
checks:
  - id: root-disk
    type: disk
    paths: [/]
  - id: data-disk
    type: disk
    paths: [/tmp]
    severity: P1
    timeoutSeconds: 3
    warningPercent: 60
maintenanceWindows:
  - schedule: "cron(0 2 ? * SAT#1 *)"
    durationMinutes: 240
`;

function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfigText(text, { env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected the config to be rejected');
}

describe('config loading', () => {
  it('applies defaults from the file and built-in defaults', () => {
    const config = parseConfigText(valid, { env: {} });
    expect(config.timezone).toBe('Asia/Ho_Chi_Minh');
    const [root, data] = config.checks;
    expect(root).toMatchObject({ severity: 'P2', timeoutSeconds: 12, failureThreshold: 1 });
    expect(root).toMatchObject({ source: 'local', warningPercent: 70, criticalPercent: 80 });
    expect(data).toMatchObject({ severity: 'P1', timeoutSeconds: 3, warningPercent: 60 });
    expect(config.notifications.email).toEqual([]);
    expect(config.defaults.concurrency).toBe(128);
    expect(config.defaults.concurrencyPerTarget).toBe(8);
  });

  it.each([
    [
      'an unknown key',
      valid.replace('    paths: [/]\n', '    paths: [/]\n    colour: blue\n'),
      'checks[0].colour: unknown key',
    ],
    [
      'a wrong type',
      valid.replace('timeoutSeconds: 3', 'timeoutSeconds: soon'),
      'checks[1].timeoutSeconds: expected number, got text',
    ],
    [
      'a duplicate check id',
      valid.replace('id: data-disk', 'id: root-disk'),
      'checks[1].id: duplicate id "root-disk"',
    ],
    [
      'a suite naming a missing check',
      valid.replace('checks: [root-disk]', 'checks: [root-disk, ghost]'),
      'suites[0].checks[1]: no check with id "ghost"',
    ],
    [
      'a bad cron',
      valid.replace('cron(0 8 * * ? *)', 'cron(0 8 * * *)'),
      'suites[0].schedule: bad schedule: cron needs 6 fields',
    ],
    [
      'a cron using both day fields',
      valid.replace('cron(0 8 * * ? *)', 'cron(0 8 * * MON *)'),
      'suites[0].schedule: bad schedule: exactly one of day-of-month',
    ],
    [
      'an unknown time zone',
      valid.replace('Asia/Ho_Chi_Minh', 'Asia/Atlantis'),
      'timezone: unknown IANA time zone',
    ],
    [
      'an unknown check type',
      valid.replace('type: disk\n    paths: [/tmp]', 'type: dns\n    paths: [/tmp]'),
      'checks[1].type: unknown type "dns"; known types: disk',
    ],
    [
      'a missing required field',
      valid.replace('    paths: [/]\n', ''),
      'checks[0].paths: required when source is local',
    ],
    [
      'an out-of-range number',
      valid.replace('warningPercent: 60', 'warningPercent: 160'),
      'checks[1].warningPercent: Too big',
    ],
    [
      'a bad severity',
      valid.replace('severity: P1', 'severity: urgent'),
      'checks[1].severity: expected one of "P1", "P2", "P3", "P4"',
    ],
    [
      'an invalid check id',
      valid.replace('id: data-disk', 'id: Data_Disk'),
      'checks[1].id: must be lowercase',
    ],
  ])('rejects %s, naming the field path', (_, text, expected) => {
    const problems = problemsOf(text);
    expect(problems.some((p) => p.startsWith(expected))).toBe(true);
  });

  it('reports every problem at once, one line each, with its line number', () => {
    const text = valid
      .replace('Asia/Ho_Chi_Minh', 'Mars/Base')
      .replace('    paths: [/]\n', '    paths: [/]\n    colour: blue\n')
      .replace('id: data-disk', 'id: root-disk');
    const problems = problemsOf(text);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^timezone: .*\(line 2\)$/);
    expect(problems[1]).toMatch(/^checks\[0\]\.colour: unknown key \(line 14\)$/);
    for (const p of problems) expect(p).not.toContain('\n');
  });

  it('reports YAML syntax errors with line and column', () => {
    const problems = problemsOf('checks:\n  - id: a\n    type: [disk\n');
    expect(problems[0]).toMatch(/^line \d+, column \d+: /);
  });

  it('accepts anchors and merge keys, and rejects alias bombs as a config error', () => {
    const text = [
      'checks:',
      '  - &disk {id: d0, type: disk, paths: [/], severity: P2}',
      ...Array.from({ length: 150 }, (_, i) => `  - {<<: *disk, id: d${i + 1}}`),
    ].join('\n');
    const config = parseConfigText(text, { env: {} });
    expect(config.checks).toHaveLength(151);
    expect(config.checks[150]).toMatchObject({ id: 'd150', type: 'disk', severity: 'P2' });
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ].join('\n');
    expect(problemsOf(bomb)[0]).toMatch(/^\(document\): Excessive alias count/);
  });

  it('resolves ${env:NAME} references and names the path of an unset variable', () => {
    const text = valid.replace('paths: [/tmp]', 'paths: ["${env:DATA_DIR}"]');
    const config = parseConfigText(text, { env: { DATA_DIR: '/var/tmp' } });
    expect(config.checks[1]).toMatchObject({ paths: ['/var/tmp'] });
    expect(problemsOf(text)).toContain(
      'checks[1].paths[0]: environment variable DATA_DIR is not set (line 16)',
    );
  });

  it('keeps ${secret:ID} references for run time', () => {
    const text = valid.replace('paths: [/tmp]', 'paths: ["${secret:erp/data-path}"]');
    expect(parseConfigText(text, { env: {} }).checks[1]).toMatchObject({
      paths: ['${secret:erp/data-path}'],
    });
  });

  it('says so when the file does not exist', async () => {
    await expect(loadConfigFile('/nonexistent/healthchecks.yaml')).rejects.toThrow(
      /file not found/,
    );
  });

  const tempDir = useTempDirs();

  it('loads a TypeScript config written with defineConfig', async () => {
    const dir = await tempDir();
    const file = join(dir, 'healthchecks.config.ts');
    await writeFile(
      file,
      `import { defineConfig } from '${repoRoot}lib/config/define-config.ts';\n` +
        `export default defineConfig({ timezone: 'UTC', checks: [{ id: 'root', type: 'disk', paths: ['/'] }] });\n`,
    );
    const config = await loadConfigFile(file, { env: {} });
    expect(config.checks[0]).toMatchObject({ id: 'root', type: 'disk', timeoutSeconds: 20 });
  });
});
