import { appendFile, mkdir, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Appends to a log-like file that must not grow without bound: once the next append would take
 * it past `maxBytes`, the file becomes `<file>.1` (replacing the previous one) and a new file is
 * started. At most about twice `maxBytes` is kept, the newest entries always.
 */
export async function appendBounded(file: string, text: string, maxBytes: number): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  if (size > 0 && size + Buffer.byteLength(text) > maxBytes) {
    await rename(file, `${file}.1`);
  }
  await appendFile(file, text);
}
