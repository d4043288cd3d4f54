import { describe, expect, it } from 'vitest';
import { describeTimeZone, formatZonedTime } from '../../lib/shared/format-time.ts';

describe('formatZonedTime', () => {
  it.each([
    ['2026-11-21T17:00:00Z', 'Asia/Ho_Chi_Minh', 'minute', '2026-11-22 00:00 +07:00'],
    ['2026-11-21T17:00:05Z', 'UTC', 'second', '2026-11-21 17:00:05 +00:00'],
    ['2026-07-01T03:00:00Z', 'America/St_Johns', 'minute', '2026-07-01 00:30 -02:30'],
    ['2026-11-21T00:00:00Z', 'Asia/Kolkata', 'time', '05:30 +05:30'],
    // Midnight is 00, not 24.
    ['2026-11-22T00:00:00Z', 'UTC', 'time', '00:00 +00:00'],
  ] as const)('%s in %s (%s) -> %s', (iso, zone, style, text) => {
    expect(formatZonedTime(iso, zone, style)).toBe(text);
  });

  it('shows "-" for a missing or unreadable time instead of "Invalid Date"', () => {
    expect(formatZonedTime(undefined, 'UTC')).toBe('-');
    expect(formatZonedTime('yesterday', 'UTC')).toBe('-');
  });

  it('describes the zone with its offset at a given instant (DST-aware)', () => {
    expect(describeTimeZone('Europe/Berlin', new Date('2026-07-01T00:00:00Z'))).toBe(
      'Europe/Berlin (+02:00)',
    );
    expect(describeTimeZone('Europe/Berlin', new Date('2026-12-01T00:00:00Z'))).toBe(
      'Europe/Berlin (+01:00)',
    );
  });
});
