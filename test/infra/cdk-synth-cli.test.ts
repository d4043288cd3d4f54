import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npx cdk synth` as a user runs it: offline, no AWS credentials, real esbuild bundling.
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

function cdkSynth(args: string[]) {
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
  });
  const result = spawnSync(
    join(root, 'node_modules/.bin/cdk'),
    ['synth', '--no-notices', '-q', '--output', output, ...args],
    { cwd: root, env, encoding: 'utf8', timeout: 400_000 },
  );
  return { ...result, output };
}

/** The runner's bundle directory in the cloud assembly (the asset holding healthchecks.yaml). */
function runnerBundle(output: string): string {
  const asset = readdirSync(output)
    .filter((name) => name.startsWith('asset.'))
    .map((name) => join(output, name))
    .find((dir) => readdirSync(dir).includes('healthchecks.yaml'));
  if (!asset) throw new Error(`no runner bundle in ${output}`);
  return asset;
}

describe('npx cdk synth', () => {
  it('synthesizes the example config offline, bundling the runner with esbuild', () => {
    const result = cdkSynth([]);
    expect(result.stderr).not.toMatch(/\berror\b/i);
    expect(result.status).toBe(0);
    const template = JSON.parse(
      readFileSync(join(result.output, 'HealthChecker.template.json'), 'utf8'),
    ) as { Resources: Record<string, { Type: string }> };
    const types = Object.values(template.Resources).map((r) => r.Type);
    // One per suite, and the delivery pass.
    expect(types.filter((t) => t === 'AWS::Scheduler::Schedule')).toHaveLength(8);
    // The config (and its secret references) travels in the bundle, not the template.
    expect(JSON.stringify(template)).not.toContain('postgres://monitor:');

    const bundle = runnerBundle(result.output);
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
    // client-node is in: one of its own error messages is in the bundle.
    expect(code).toContain('No active cluster!');
  }, 420_000);

  it('leaves client-node and the database drivers out when no check uses them', () => {
    const dir = tempDir();
    const config = join(dir, 'disk.yaml');
    writeFileSync(
      config,
      'suites: [{id: morning, schedule: "cron(0 8 * * ? *)", checks: [root-disk]}]\n' +
        'checks: [{id: root-disk, type: disk, paths: [/]}]\n',
    );
    const result = cdkSynth(['-c', `config=${config}`]);
    expect(result.status).toBe(0);
    const bundle = runnerBundle(result.output);
    const code = readFileSync(join(bundle, 'index.mjs'), 'utf8');
    expect(code).toContain('left out of this Lambda bundle');
    expect(code).not.toContain('No active cluster!');
    // The target for a runner without client-node.
    expect(statSync(join(bundle, 'index.mjs')).size).toBeLessThan(1_000_000);
  }, 420_000);

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
  }, 120_000);
});
