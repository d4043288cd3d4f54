import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/run-cli.ts';

function runDemo(): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['demo/start.ts'], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('npm start demo', () => {
  it('pages each broken target once, resolves the fixed one, and cleans up', async () => {
    const { code, out } = await runDemo();
    expect(code, out).toBe(0);
    const pages = out.split('\n').filter((l) => l.startsWith('PagerDuty <- '));
    // Deliveries for different checks run concurrently, so they arrive in any order.
    expect(
      pages
        .filter((l) => l.includes('trigger'))
        .map((l) => /dedup_key=([a-z0-9-]+)/.exec(l)?.[1])
        .sort(),
    ).toEqual(['erp-cert', 'nightly-backup', 'secureconnect-pods']);
    expect(pages.filter((l) => l.includes('resolve'))).toHaveLength(1);
    expect(pages.at(-1)).toContain('resolve');
    expect(pages.at(-1)).toContain('dedup_key=nightly-backup');
    expect(out).toContain('certificate expires in 5 days');
    expect(out).toMatch(/CRITICAL\s+secureconnect-pods\s+kubernetes-pods/);
    expect(out).toContain('--- email to oncall@company.vn');
    expect(out).toContain('npx cdk deploy -c config=healthchecks.yaml');
    const workspace = /Backups\s+(\S+)\/backups/.exec(out)?.[1];
    expect(workspace).toBeDefined();
    expect(existsSync(workspace ?? '/')).toBe(false);
  }, 120_000);
});
