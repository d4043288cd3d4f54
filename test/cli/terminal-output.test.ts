import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../lib/cli/io.ts';
import { main } from '../../lib/cli/main.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const ansiEscape = String.fromCharCode(27);

function terminalIo(env: Record<string, string> = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { isTTY: true, write: (t: string) => out.push(t) },
    stderr: { isTTY: true, write: (t: string) => err.push(t) },
    env,
    cwd: process.cwd(),
  };
}

let stateDir = '';

async function config(): Promise<string> {
  const dir = await tempDir();
  stateDir = join(dir, 'state');
  const file = join(dir, 'healthchecks.yaml');
  await writeFile(
    file,
    'checks:\n  - id: a\n    type: disk\n    paths: [/]\n    criticalPercent: 0\n    warningPercent: 0\n',
  );
  return file;
}

describe('CLI on a terminal', () => {
  it('colours statuses and draws a progress line on stderr', async () => {
    const io = terminalIo();
    const code = await main(['run', '--config', await config(), '--state-dir', stateDir], io);
    expect(code).toBe(2);
    expect(io.out.join('')).toContain(`${ansiEscape}[31mCRITICAL`);
    const progress = io.err.join('');
    expect(progress).toContain('[0/1] a');
    expect(progress.endsWith(`\r${ansiEscape}[2K`)).toBe(true);
  });

  it('prints no colour when NO_COLOR is set, even on a terminal', async () => {
    const io = terminalIo({ NO_COLOR: '1' });
    await main(['run', '--config', await config(), '--state-dir', stateDir], io);
    expect(io.out.join('')).not.toContain(ansiEscape);
  });

  it('keeps stdout pure JSON with --format json', async () => {
    const io = terminalIo();
    await main(
      ['run', '--config', await config(), '--state-dir', stateDir, '--format', 'json'],
      io,
    );
    expect(JSON.parse(io.out.join('')).results[0].status).toBe('critical');
  });
});
