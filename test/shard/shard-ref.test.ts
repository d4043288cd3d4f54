import { describe, expect, it } from 'vitest';
import { formatShardRef, parseShardRef } from '../../lib/shard/shard-ref.ts';

describe('parseShardRef', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/4', { index: 2, count: 4 }],
    [' 3 / 3 ', { index: 3, count: 3 }],
  ])('%s', (text, ref) => {
    expect(parseShardRef(text)).toEqual(ref);
    expect(formatShardRef(ref)).toBe(`${ref.index}/${ref.count}`);
  });

  it.each([
    ['0/3', /index must be a whole number from 1 to 3, not 0/],
    ['4/3', /index must be a whole number from 1 to 3, not 4/],
    ['1/0', /count must be a whole number from 1 to 10000, not 0/],
    ['x', /expected I\/N, e\.g\. 2\/4/],
    ['1/2/3', /expected I\/N/],
    ['-1/3', /expected I\/N/],
    ['1.5/3', /expected I\/N/],
    ['', /expected I\/N/],
  ])('refuses %j', (text, message) => {
    expect(() => parseShardRef(text)).toThrow(message);
  });
});
