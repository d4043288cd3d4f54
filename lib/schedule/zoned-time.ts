/** Wall-clock fields of an instant in an IANA time zone. `weekday` is 1=Sunday..7=Saturday (cron). */
export interface ZonedParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdays: Record<string, number> = { Sun: 1, Mon: 2, Tue: 3, Wed: 4, Thu: 5, Fri: 6, Sat: 7 };

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function zonedParts(instant: Date, timeZone: string): ZonedParts {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) fields[part.type] = part.value;
  return {
    year: Number(fields['year']),
    month: Number(fields['month']),
    day: Number(fields['day']),
    hour: Number(fields['hour']),
    minute: Number(fields['minute']),
    weekday: weekdays[fields['weekday'] ?? ''] ?? 0,
  };
}

/** Calendar date (yyyy, MM, dd) of an instant in a time zone, zero-padded. */
export function zonedDate(
  instant: Date,
  timeZone: string,
): { yyyy: string; MM: string; dd: string } {
  const p = zonedParts(instant, timeZone);
  return {
    yyyy: String(p.year).padStart(4, '0'),
    MM: String(p.month).padStart(2, '0'),
    dd: String(p.day).padStart(2, '0'),
  };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
