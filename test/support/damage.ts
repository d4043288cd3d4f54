/** Ways a user (or a disk) damages a store file by hand, for the corruption tests. */
import { closeSync, openSync, readFileSync, statSync, truncateSync, writeSync } from 'node:fs';

/** Overwrites `count` bytes at `offset` with their bitwise complement (always a change). */
export function flipBytes(file: string, offset: number, count = 32): void {
  const bytes = readFileSync(file).subarray(offset, offset + count);
  const flipped = Buffer.from(bytes.map((b) => b ^ 0xff));
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, flipped, 0, flipped.length, offset);
  } finally {
    closeSync(fd);
  }
}

export function truncateTo(file: string, fraction: number): void {
  truncateSync(file, Math.floor(statSync(file).size * fraction));
}

/** Where `text` first appears in the file (to hit a row's bytes rather than free space). */
export function offsetOf(file: string, text: string): number {
  const at = readFileSync(file).indexOf(Buffer.from(text));
  if (at < 0) throw new Error(`${text} not found in ${file}`);
  return at;
}

/** Every place `text` appears (an older copy of a row may sit on a freed page). */
export function offsetsOf(file: string, text: string): number[] {
  const bytes = readFileSync(file);
  const needle = Buffer.from(text);
  const found: number[] = [];
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) found.push(at);
  if (found.length === 0) throw new Error(`${text} not found in ${file}`);
  return found;
}
