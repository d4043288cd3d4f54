import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { retryWithBackoff } from '../shared/retry.ts';

export class StateDirLockedError extends Error {
  constructor(dir: string, pid: string) {
    super(`state directory ${dir} is in use by another healthcheck process (pid ${pid})`);
    this.name = 'StateDirLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One process at a time may open the embedded database (LevelDB crashes a second opener), so
 * concurrent CLI runs on one state dir queue here instead. A lock left by a dead process is taken over.
 */
export async function lockStateDir(
  dir: string,
  waitMs = 60_000,
): Promise<{ release: () => Promise<void> }> {
  const file = join(dir, 'store.lock');
  const deadline = AbortSignal.timeout(waitMs);
  let owner = '';
  try {
    return await retryWithBackoff(
      async () => {
        try {
          const handle = await open(file, 'wx');
          await handle.writeFile(String(process.pid));
          await handle.close();
          return { done: true, value: { release: () => rm(file, { force: true }) } };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        owner = (await readFile(file, 'utf8').catch(() => '')).trim();
        const pid = Number(owner);
        // A lock left by a dead process is taken over on the next, short, attempt.
        if (owner !== '' && Number.isInteger(pid) && !alive(pid)) await rm(file, { force: true });
        return { done: false, problem: `locked by pid ${owner || '?'}` };
      },
      { attempts: Number.POSITIVE_INFINITY, baseDelayMs: 10, maxDelayMs: 200 },
      deadline,
    );
  } catch (error) {
    if (deadline.aborted) throw new StateDirLockedError(dir, owner || '?');
    throw error;
  }
}
