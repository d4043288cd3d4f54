const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * The one byte formatter (binary units, as `df -h` and `ls -lh`): 900 B, 9.8 KiB, 12 GiB.
 * One decimal below 10 of a unit, none above, so sizes line up in tables and summaries.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'unknown size';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${sign}${value.toFixed(digits)} ${units[unit]}`;
}
