import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../lib/shared/format-bytes.ts';
import { formatDuration, formatElapsed, formatSeconds } from '../../lib/shared/format-duration.ts';

describe('formatDuration', () => {
  it.each([
    [450, 'compact', '450ms'],
    [45_000, 'compact', '45s'],
    [5 * 60_000 + 7_000, 'compact', '5m7s'],
    [12 * 60_000 + 7_000, 'compact', '12m'],
    [2 * 3_600_000 + 10 * 60_000, 'compact', '2h10m'],
    [3 * 3_600_000, 'compact', '3h'],
    [5 * 86_400_000 + 3 * 3_600_000, 'compact', '5d3h'],
    [12 * 60_000, 'hours', '12 min'],
    [30.1 * 3_600_000, 'hours', '30.1 h'],
    [3.5 * 86_400_000, 'hours', '3.5 days'],
    [-5, 'compact', '0ms'],
    [12.9 * 86_400_000, 'days', '12 days'],
    [86_400_000, 'days', '1 day'],
    [5.5 * 3_600_000, 'days', '5 hours'],
    [3_600_000, 'days', '1 hour'],
    [59 * 60_000, 'days', 'less than an hour'],
  ] as const)('%d ms (%s) -> %s', (ms, style, text) => {
    expect(formatDuration(ms, style)).toBe(text);
  });

  it('says unknown for a missing value instead of NaN', () => {
    expect(formatDuration(Number.NaN)).toBe('unknown');
  });

  it('formats elapsed timings in ms, then seconds', () => {
    expect(formatElapsed(41.4)).toBe('41 ms');
    expect(formatElapsed(1_234)).toBe('1.2 s');
    expect(formatElapsed(20_000)).toBe('20 s');
    expect(formatElapsed(125_000)).toBe('2m5s');
  });

  it('formats time limits in seconds to the nearest tenth', () => {
    expect(formatSeconds(20_000)).toBe('20s');
    expect(formatSeconds(19_950)).toBe('20s');
    expect(formatSeconds(2_500)).toBe('2.5s');
    expect(formatSeconds(340)).toBe('0.3s');
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [900, '900 B'],
    [10_035, '9.8 KiB'],
    [1024 * 1024, '1.0 MiB'],
    [12 * 1024 ** 3, '12 GiB'],
    [-2048, '-2.0 KiB'],
  ])('%d -> %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('never prints NaN for a missing size', () => {
    expect(formatBytes(Number.NaN)).toBe('unknown size');
  });
});
