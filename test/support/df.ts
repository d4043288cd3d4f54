import { execFileSync } from 'node:child_process';

/** The Use% that `df -P` prints for the filesystem holding `path`: the reference for disk checks. */
export function dfPercent(path: string): number {
  const line = execFileSync('df', ['-P', path], { encoding: 'utf8' }).trim().split('\n')[1] ?? '';
  return Number((line.split(/\s+/)[4] ?? '').replace('%', ''));
}
