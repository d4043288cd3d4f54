import { stat } from 'node:fs/promises';
import { UsageError } from '../core/errors.ts';

/**
 * Read-only commands (status, history, report) must not create a state directory: a mistyped
 * `--state-dir` would otherwise show "never run" for everything, silently, and leave an empty
 * folder behind. Only `run` creates one.
 */
export async function requireExistingStateDir(dir: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new UsageError(
      `no state directory at ${dir}: nothing has been recorded there (run "healthcheck run" first, or pass the --state-dir your runs use)`,
    );
  }
  if (!isDirectory) throw new UsageError(`--state-dir ${dir} is not a directory`);
}
