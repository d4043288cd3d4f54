/**
 * The one wall-clock formatter for people: every table, email and page shows instants in the
 * config's time zone with the UTC offset beside them ("2026-11-22 08:00 +07:00"), so a time read
 * at 3 AM never has to be converted in one's head and is still unambiguous when pasted elsewhere.
 * Machine output (JSON) keeps ISO 8601 UTC.
 */
import { formatDuration } from './format-duration.ts';

export type TimeStyle =
  /** 2026-11-22 08:00 +07:00 */
  | 'minute'
  /** 2026-11-22 08:00:05 +07:00 */
  | 'second'
  /** 08:00 +07:00 (same calendar day implied by context) */
  | 'time';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export interface ZonedStamp {
  /** yyyy-MM-dd in the zone. */
  readonly date: string;
  /** HH:mm in the zone. */
  readonly time: string;
  readonly seconds: string;
  /** +07:00, -03:30, +00:00 */
  readonly offset: string;
}

function toDate(instant: Date | string | number): Date {
  return instant instanceof Date ? instant : new Date(instant);
}

export function zonedStamp(instant: Date | string | number, timeZone: string): ZonedStamp {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(toDate(instant))) {
    fields[part.type] = part.value;
  }
  // "GMT" alone is UTC; otherwise "GMT+07:00".
  const zoneName = fields['timeZoneName'] ?? 'GMT';
  const offset = zoneName === 'GMT' ? '+00:00' : zoneName.replace(/^GMT/, '');
  return {
    date: `${fields['year']}-${fields['month']}-${fields['day']}`,
    time: `${fields['hour']}:${fields['minute']}`,
    seconds: fields['second'] ?? '00',
    offset,
  };
}

/** An instant for people, in `timeZone` with its offset; "-" for a missing or invalid time. */
export function formatZonedTime(
  instant: Date | string | number | null | undefined,
  timeZone: string,
  style: TimeStyle = 'minute',
): string {
  if (instant === null || instant === undefined) return '-';
  const date = toDate(instant);
  if (Number.isNaN(date.getTime())) return '-';
  const s = zonedStamp(date, timeZone);
  if (style === 'time') return `${s.time} ${s.offset}`;
  if (style === 'second') return `${s.date} ${s.time}:${s.seconds} ${s.offset}`;
  return `${s.date} ${s.time} ${s.offset}`;
}

/** The zone as a header shows it: "Asia/Ho_Chi_Minh (+07:00)", offset as of `at`. */
export function describeTimeZone(timeZone: string, at: Date = new Date()): string {
  return `${timeZone} (${zonedStamp(at, timeZone).offset})`;
}

/** "2026-11-22 08:00 +07:00 (3h20m ago)", or "in 5m" for a future instant. */
export function formatZonedTimeAgo(
  instant: Date | string | number | null | undefined,
  timeZone: string,
  now: Date,
): string {
  const text = formatZonedTime(instant, timeZone);
  if (text === '-' || instant === null || instant === undefined) return text;
  const delta = now.getTime() - toDate(instant).getTime();
  return `${text} (${delta >= 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(-delta)}`})`;
}
