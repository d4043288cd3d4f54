import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// `npx cdk synth` as a user runs it: offline, no AWS credentials, real esbuild bundling, cdk-nag on.
const root = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'healthcheck-synth-'));
  dirs.push(dir);
  return dir;
}

function cdkSynth(args: string[], extraEnv: Record<string, string> = {}) {
  const output = tempDir();
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('AWS_') && !key.startsWith('CDK_')) env[key] = value;
  }
  Object.assign(env, {
    PATH: [join(root, 'node_modules/.bin'), process.env['PATH']].join(delimiter),
    CDK_DISABLE_CLI_TELEMETRY: '1',
    CDK_DISABLE_VERSION_CHECK: '1',
    AWS_SHARED_CREDENTIALS_FILE: join(output, 'no-credentials'),
    AWS_CONFIG_FILE: join(output, 'no-config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extraEnv,
  });
  const result = spawnSync(
    join(root, 'node_modules/.bin/cdk'),
    ['synth', '--no-notices', '-q', '--output', output, ...args],
    { cwd: root, env, encoding: 'utf8', timeout: 560_000 },
  );
  return { ...result, output };
}

interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  Outputs: Record<string, { Value: unknown }>;
}

function templateOf(output: string): Template {
  return JSON.parse(readFileSync(join(output, 'HealthChecker.template.json'), 'utf8')) as Template;
}

/** A function's bundle directory in the cloud assembly, found by its description. */
function bundleOf(output: string, description: RegExp): string {
  const fn = Object.values(templateOf(output).Resources).find(
    (r) =>
      r.Type === 'AWS::Lambda::Function' && description.test(String(r.Properties['Description'])),
  );
  const key = String((fn?.Properties['Code'] as { S3Key?: string } | undefined)?.S3Key ?? '');
  const dir = join(output, `asset.${key.replace(/\.zip$/, '')}`);
  if (!key || !statSync(dir, { throwIfNoEntry: false }))
    throw new Error(`no bundle for ${description}`);
  return dir;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('npx cdk synth', () => {
  it('synthesizes the example config into a VPC offline, with cdk-nag on, bundling with esbuild', () => {
    const result = cdkSynth([
      '-c',
      'config=examples/healthchecks.yaml',
      '-c',
      'vpcId=vpc-0123456789abcdef0',
      '-c',
      'subnetIds=subnet-aaaa1111,subnet-bbbb2222',
    ]);
    expect(result.stderr).not.toMatch(/\berror\b/i);
    expect(result.status).toBe(0);
    const template = templateOf(result.output);
    const types = Object.values(template.Resources).map((r) => r.Type);
    // One per suite of the example, the delivery pass and the watchdog.
    const example = parse(readFileSync(join(root, 'examples/healthchecks.yaml'), 'utf8')) as {
      suites: unknown[];
    };
    expect(example.suites.length).toBeGreaterThan(0);
    expect(types.filter((t) => t === 'AWS::Scheduler::Schedule')).toHaveLength(
      example.suites.length + 2,
    );
    const runner = Object.values(template.Resources).find((r) =>
      /Runs one health check suite/.test(String(r.Properties['Description'])),
    );
    expect(runner?.Properties['VpcConfig']).toMatchObject({
      SubnetIds: ['subnet-aaaa1111', 'subnet-bbbb2222'],
    });
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining(['RunnerSecurityGroupIds', 'ResultsTableName', 'Stage']),
    );
    // The config (and its secret references) travels in the bundle, not the template.
    expect(JSON.stringify(template)).not.toContain('postgres://monitor:');

    const bundle = bundleOf(result.output, /Runs one health check suite/);
    expect(readdirSync(bundle).sort()).toEqual(['healthchecks.yaml', 'index.mjs', 'index.mjs.map']);
    expect(readFileSync(join(bundle, 'healthchecks.yaml'), 'utf8')).toBe(
      readFileSync(join(root, 'examples/healthchecks.yaml'), 'utf8'),
    );
    const size = statSync(join(bundle, 'index.mjs')).size;
    // The example has Kubernetes checks, so the client is in: a real bundle, but no SDK v3.
    expect(size).toBeGreaterThan(500_000);
    expect(size).toBeLessThan(8_000_000);
    const code = readFileSync(join(bundle, 'index.mjs'), 'utf8');
    expect(code.startsWith('import{createRequire')).toBe(true);
    expect(code).toContain('No active cluster!');
    // The watchdog runs no check: no client-node, no drivers.
    const watchdog = readFileSync(
      join(bundleOf(result.output, /has not completed/), 'index.mjs'),
      'utf8',
    );
    expect(watchdog).not.toContain('No active cluster!');
    expect(watchdog).toContain('left out of this Lambda bundle');
  }, 600_000);

  it('takes ${env:} values from the runner environment and whole-value secrets, resolving no secret', () => {
    const dir = tempDir();
    const config = join(dir, 'private.yaml');
    writeFileSync(
      config,
      [
        'suites: [{id: morning, schedule: "cron(0 8 * * ? *)", checks: [data-disk, erp-db]}]',
        'checks:',
        '  - {id: data-disk, type: disk, paths: ["${env:DATA_DIR}"]}',
        '  - {id: erp-db, type: connection-pool, engine: postgres, url: "${secret:erp/db-url}"}',
        '',
      ].join('\n'),
    );
    const leaked = 'postgres://monitor:never-in-the-assembly@db.internal:5432/erp';
    const result = cdkSynth(
      ['-c', `config=${config}`, '-c', 'runnerEnvironment=DATA_DIR=/mnt/data'],
      {
        HEALTHCHECK_SECRET_ERP_DB_URL: leaked,
      },
    );
    expect(result.stderr).not.toMatch(/\berror\b/i);
    expect(result.status).toBe(0);
    const runner = Object.values(templateOf(result.output).Resources).find((r) =>
      /Runs one health check suite/.test(String(r.Properties['Description'])),
    );
    expect(runner?.Properties['Environment']).toMatchObject({
      Variables: expect.objectContaining({ DATA_DIR: '/mnt/data' }),
    });
    for (const file of filesUnder(result.output)) {
      expect(readFileSync(file, 'utf8')).not.toContain('never-in-the-assembly');
    }
    const bundle = bundleOf(result.output, /Runs one health check suite/);
    expect(readFileSync(join(bundle, 'healthchecks.yaml'), 'utf8')).toContain(
      '${secret:erp/db-url}',
    );
    const code = readFileSync(join(bundle, 'index.mjs'), 'utf8');
    // Only pg, for the postgres check: client-node and the other drivers are stubbed.
    expect(code).toContain('left out of this Lambda bundle');
    expect(code).not.toContain('No active cluster!');
  }, 600_000);

  it('fails on an ${env:} the runner environment lacks, naming the field', () => {
    const dir = tempDir();
    const config = join(dir, 'env.yaml');
    writeFileSync(
      config,
      'checks:\n  - id: data-disk\n    type: disk\n    paths: ["${env:DATA_DIR}"]\n',
    );
    const result = cdkSynth(['-c', `config=${config}`]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(
      "checks[0].paths[0]: ${env:DATA_DIR} is not in the runner's environment; set it with -c runnerEnvironment=DATA_DIR=...",
    );
  }, 240_000);

  it('fails on a literal PagerDuty routing key, naming the field and not printing the key', () => {
    const dir = tempDir();
    const config = join(dir, 'pd.yaml');
    writeFileSync(
      config,
      'checks: [{id: root-disk, type: disk, paths: [/]}]\n' +
        'notifications: {pagerduty: {routingKey: R0UT1NGKEY0123456789ABCDEFGHIJKL}}\n',
    );
    const result = cdkSynth(['-c', `config=${config}`]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(
      /notifications\.pagerduty\.routingKey: a routing key written in the config would be bundled verbatim/,
    );
    expect(result.stderr).not.toContain('R0UT1NGKEY0123456789ABCDEFGHIJKL');
    expect(result.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
  }, 240_000);

  it('fails on a bad config, naming the field like the CLI, without a stack trace', () => {
    const dir = tempDir();
    const config = join(dir, 'bad.yaml');
    writeFileSync(
      config,
      'checks:\n  - id: root-disk\n    type: disk\n    paths: [/]\n    port: 1\n',
    );
    const result = cdkSynth(['-c', `config=${config}`]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('checks[0].port: unknown key (line 5)');
    expect(result.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
  }, 240_000);
});
