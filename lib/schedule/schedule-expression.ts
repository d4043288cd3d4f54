import { daysInMonth, type ZonedParts, zonedParts } from './zoned-time.ts';

/**
 * EventBridge Scheduler expressions: `cron(min hour dom month dow year)`, `rate(n unit)`, `at(...)`.
 * Parsed here so a bad schedule fails validation instead of failing `cdk deploy`, and so
 * maintenance windows (cron + duration) can be evaluated locally.
 */
export type ScheduleExpression =
  | { readonly kind: 'cron'; readonly expression: string; readonly cron: CronExpression }
  | { readonly kind: 'rate'; readonly expression: string; readonly minutes: number }
  | { readonly kind: 'at'; readonly expression: string; readonly at: string };

export class ScheduleExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleExpressionError';
  }
}

/** A calendar day in the schedule's time zone; `weekday` is 1=Sunday..7=Saturday (cron). */
export type CalendarDay = Pick<ZonedParts, 'year' | 'month' | 'day' | 'weekday'>;

type DayMatcher = (d: CalendarDay) => boolean;

/**
 * A parsed cron. Its fields are exposed separately so fire times can be found by stepping over
 * the allowed days, hours and minutes instead of testing every minute.
 */
export interface CronExpression {
  readonly fields: readonly string[];
  /** Minutes the schedule fires at, ascending. */
  readonly minutes: readonly number[];
  /** Hours the schedule fires at, ascending. */
  readonly hours: readonly number[];
  /** Whether day-of-month, month, day-of-week and year all allow this day. */
  matchesDay(day: CalendarDay): boolean;
  matches(parts: ZonedParts): boolean;
}

const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const days = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** The day's value for this field (day fields only; minutes and hours are stepped over). */
  readonly pick?: (p: CalendarDay) => number;
}

const specs: readonly FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, pick: (p) => p.day },
  { name: 'month', min: 1, max: 12, names: months, pick: (p) => p.month },
  { name: 'day-of-week', min: 1, max: 7, names: days, pick: (p) => p.weekday },
  { name: 'year', min: 1970, max: 2199, pick: (p) => p.year },
];

function parseValue(raw: string, spec: FieldSpec): number {
  const upper = raw.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(raw))
    throw new ScheduleExpressionError(`${spec.name}: "${raw}" is not a value`);
  const value = Number(raw);
  if (value < spec.min || value > spec.max) {
    throw new ScheduleExpressionError(
      `${spec.name}: ${value} is out of range ${spec.min}-${spec.max}`,
    );
  }
  return value;
}

/** Parses `*`, `a`, `a-b`, `a/n`, `a-b/n`, `*\/n` and comma lists into a set of allowed values. */
function parseList(field: string, spec: FieldSpec): Set<number> {
  const allowed = new Set<number>();
  for (const item of field.split(',')) {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) {
      throw new ScheduleExpressionError(`${spec.name}: bad step in "${item}"`);
    }
    let from: number;
    let to: number;
    if (range === '*') {
      from = spec.min;
      to = spec.max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      from = parseValue(a, spec);
      to = parseValue(b, spec);
      if (from > to)
        throw new ScheduleExpressionError(`${spec.name}: range "${range}" is reversed`);
    } else {
      from = parseValue(range, spec);
      to = stepText === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) allowed.add(v);
  }
  return allowed;
}

function nearestWeekday(year: number, month: number, day: number): number {
  const last = daysInMonth(year, month);
  const target = Math.min(day, last);
  const weekday = new Date(Date.UTC(year, month - 1, target)).getUTCDay();
  if (weekday === 6) return target === 1 ? 3 : target - 1;
  if (weekday === 0) return target === last ? target - 2 : target + 1;
  return target;
}

function dayOfMonthMatcher(field: string, spec: FieldSpec): DayMatcher {
  const upper = field.toUpperCase();
  if (upper === 'L') return (p) => p.day === daysInMonth(p.year, p.month);
  if (upper === 'LW') return (p) => p.day === nearestWeekday(p.year, p.month, 31);
  const weekday = /^(\d+)W$/.exec(upper);
  if (weekday) {
    const day = parseValue(weekday[1] ?? '', spec);
    return (p) => p.day === nearestWeekday(p.year, p.month, day);
  }
  const allowed = parseList(field, spec);
  return (p) => allowed.has(p.day);
}

function dayOfWeekMatcher(field: string, spec: FieldSpec): DayMatcher {
  const upper = field.toUpperCase();
  const nth = /^([A-Z]+|\d)#([1-5])$/.exec(upper);
  if (nth) {
    const weekday = parseValue(nth[1] ?? '', spec);
    const n = Number(nth[2]);
    return (p) => p.weekday === weekday && Math.ceil(p.day / 7) === n;
  }
  const last = /^([A-Z]+|\d)L$/.exec(upper);
  if (last) {
    const weekday = parseValue(last[1] ?? '', spec);
    return (p) => p.weekday === weekday && p.day + 7 > daysInMonth(p.year, p.month);
  }
  if (upper === 'L') return (p) => p.weekday === 7;
  const allowed = parseList(field, spec);
  return (p) => allowed.has(p.weekday);
}

function parseCron(body: string): CronExpression {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new ScheduleExpressionError(
      `cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`,
    );
  }
  const [dom = '', dow = ''] = [fields[2], fields[4]];
  if ((dom === '?') === (dow === '?')) {
    throw new ScheduleExpressionError(
      'exactly one of day-of-month and day-of-week must be "?" (EventBridge cannot use both)',
    );
  }
  const dayMatchers: DayMatcher[] = [];
  let minutes: number[] = [];
  let hours: number[] = [];
  fields.forEach((field, index) => {
    const spec = specs[index] as FieldSpec;
    if (field === '?') {
      if (index !== 2 && index !== 4) {
        throw new ScheduleExpressionError(`${spec.name}: "?" is only allowed in day fields`);
      }
      return;
    }
    if (index === 0) minutes = [...parseList(field, spec)].sort((a, b) => a - b);
    else if (index === 1) hours = [...parseList(field, spec)].sort((a, b) => a - b);
    else if (index === 2) dayMatchers.push(dayOfMonthMatcher(field, spec));
    else if (index === 4) dayMatchers.push(dayOfWeekMatcher(field, spec));
    else {
      const allowed = parseList(field, spec);
      const pick = spec.pick ?? (() => Number.NaN);
      dayMatchers.push((d) => allowed.has(pick(d)));
    }
  });
  const minuteSet = new Set(minutes);
  const hourSet = new Set(hours);
  const matchesDay = (day: CalendarDay): boolean => dayMatchers.every((m) => m(day));
  return {
    fields,
    minutes,
    hours,
    matchesDay,
    matches: (parts) => minuteSet.has(parts.minute) && hourSet.has(parts.hour) && matchesDay(parts),
  };
}

const rateUnits: Record<string, number> = { minute: 1, hour: 60, day: 1440 };

function parseRate(body: string): number {
  const match = /^\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*$/.exec(body);
  if (!match) throw new ScheduleExpressionError('rate must look like "rate(5 minutes)"');
  const value = Number(match[1]);
  const unit = match[2] ?? '';
  if (value < 1) throw new ScheduleExpressionError('rate value must be at least 1');
  const singular = unit.replace(/s$/, '');
  if ((value === 1) !== (unit === singular)) {
    throw new ScheduleExpressionError(
      value === 1 ? `use "rate(1 ${singular})"` : `use "rate(${value} ${singular}s)"`,
    );
  }
  return value * (rateUnits[singular] ?? 1);
}

export function parseScheduleExpression(expression: string): ScheduleExpression {
  const match = /^(cron|rate|at)\((.*)\)$/.exec(expression.trim());
  if (!match) {
    throw new ScheduleExpressionError(
      'expected cron(min hour day-of-month month day-of-week year), rate(n unit) or at(yyyy-mm-ddThh:mm:ss)',
    );
  }
  const [, kind, body = ''] = match;
  if (kind === 'cron') return { kind, expression, cron: parseCron(body) };
  if (kind === 'rate') return { kind, expression, minutes: parseRate(body) };
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(body)) {
    throw new ScheduleExpressionError('at() needs yyyy-mm-ddThh:mm:ss');
  }
  return { kind: 'at', expression, at: body };
}

export function cronMatches(cron: CronExpression, instant: Date, timeZone: string): boolean {
  return cron.matches(zonedParts(instant, timeZone));
}
