import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockStateDir, StateDirLockedError } from '../../lib/store/state-dir-lock.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

describe('lockStateDir', () => {
  it('waits for a live holder and gives up with a named error after the wait', async () => {
    const dir = await tempDir();
    const held = await lockStateDir(dir);
    expect(await readFile(join(dir, 'store.lock'), 'utf8')).toBe(String(process.pid));
    const second = lockStateDir(dir, 300);
    await expect(second).rejects.toBeInstanceOf(StateDirLockedError);
    await expect(second).rejects.toThrow(
      `in use by another healthcheck process (pid ${process.pid})`,
    );
    await held.release();
    const again = await lockStateDir(dir, 300);
    await again.release();
  });

  it('queues behind a holder that releases while it waits', async () => {
    const dir = await tempDir();
    const held = await lockStateDir(dir);
    setTimeout(() => void held.release(), 100);
    const next = await lockStateDir(dir, 30_000);
    await next.release();
  });

  it('takes over a lock left by a process that has exited', async () => {
    const dir = await tempDir();
    const exited = spawnSync(process.execPath, ['-e', '0']);
    expect(exited.pid).toBeGreaterThan(0);
    await writeFile(join(dir, 'store.lock'), String(exited.pid));
    const lock = await lockStateDir(dir, 5_000);
    expect(await readFile(join(dir, 'store.lock'), 'utf8')).toBe(String(process.pid));
    await lock.release();
  });
});
