import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendBounded } from '../../lib/shared/append-bounded.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

describe('appendBounded', () => {
  it('rolls the file over to <file>.1 so at most about twice the limit is kept, newest last', async () => {
    const file = join(await tempDir(), 'sub', 'outbox.jsonl');
    for (let i = 0; i < 100; i++) await appendBounded(file, `${String(i).padStart(9, '0')}\n`, 100);
    const current = await readFile(file, 'utf8');
    const previous = await readFile(`${file}.1`, 'utf8');
    expect((await stat(file)).size).toBeLessThanOrEqual(100);
    expect((await stat(`${file}.1`)).size).toBeLessThanOrEqual(100);
    expect(current.trim().split('\n').at(-1)).toBe('000000099');
    // Nothing between the two files is lost: they hold the newest entries, in order.
    const kept = `${previous}${current}`.trim().split('\n').map(Number);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 100 - kept.length + i));
    expect(kept.length).toBeGreaterThanOrEqual(10);
  });

  it('an entry bigger than the limit still gets written', async () => {
    const file = join(await tempDir(), 'big.jsonl');
    await appendBounded(file, 'x'.repeat(500), 100);
    expect((await readFile(file, 'utf8')).length).toBe(500);
  });
});
