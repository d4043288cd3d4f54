/** `expectStatus` entries: a code (200), a class ("2xx") or a range ("200-299"). */
export type StatusEntry = number | string;

export const defaultExpectStatus: readonly StatusEntry[] = ['2xx'];

interface StatusRange {
  readonly low: number;
  readonly high: number;
}

const validCode = (n: number): boolean => Number.isInteger(n) && n >= 100 && n <= 599;

/** The range an entry stands for, or undefined when it is not one of the three forms. */
export function statusRange(entry: StatusEntry): StatusRange | undefined {
  const text = String(entry).trim().toLowerCase();
  if (/^\d{3}$/.test(text)) {
    const code = Number(text);
    return validCode(code) ? { low: code, high: code } : undefined;
  }
  const cls = /^([1-5])xx$/.exec(text);
  if (cls) return { low: Number(cls[1]) * 100, high: Number(cls[1]) * 100 + 99 };
  const range = /^(\d{3})\s*-\s*(\d{3})$/.exec(text);
  if (range) {
    const low = Number(range[1]);
    const high = Number(range[2]);
    return validCode(low) && validCode(high) && low <= high ? { low, high } : undefined;
  }
  return undefined;
}

export const statusEntryHelp =
  'expected a status code (200), a class ("2xx") or a range ("200-299"), within 100-599';

export function statusExpected(entries: readonly StatusEntry[], status: number): boolean {
  return entries.some((entry) => {
    const range = statusRange(entry);
    return range !== undefined && status >= range.low && status <= range.high;
  });
}

/** `2xx`, `200 or 204`, `2xx, 301 or 302`. */
export function describeExpectedStatus(entries: readonly StatusEntry[]): string {
  const names = entries.map((entry) => String(entry).trim().toLowerCase());
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
