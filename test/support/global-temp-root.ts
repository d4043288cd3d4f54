import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: every test worker and every process a test spawns gets TMPDIR pointed at
 * one directory of this run, removed when the run ends. A helper that forgets its own cleanup
 * (a CDK App's cdk.out, a browser profile, a child CLI's scratch files) then still leaves
 * nothing in the machine's /tmp.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'healthcheck-vitest-'));
  // Like /tmp itself: tests that run a command as another user (`nobody`) must reach their dirs.
  chmodSync(root, 0o1777);
  const previous = process.env['TMPDIR'];
  process.env['TMPDIR'] = root;
  return () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
