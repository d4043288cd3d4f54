import { zonedDate } from '../../schedule/zoned-time.ts';

export interface CalendarDate {
  readonly yyyy: string;
  readonly MM: string;
  readonly dd: string;
}

export interface ParsedLocation {
  readonly scheme: 'file' | 's3';
  /** S3 only. */
  readonly bucket: string;
  /** Absolute path (file) or object key (s3), still containing tokens. */
  readonly template: string;
}

const tokenPattern = /\{([^}]*)\}/g;
const dateTokens: Record<string, (d: CalendarDate) => string> = {
  yyyyMMdd: (d) => `${d.yyyy}${d.MM}${d.dd}`,
  yyyy: (d) => d.yyyy,
  MM: (d) => d.MM,
  dd: (d) => d.dd,
};
const dateDigits: Record<string, number> = { yyyyMMdd: 8, yyyy: 4, MM: 2, dd: 2 };
const knownTokens = '{yyyyMMdd}, {yyyy}, {MM}, {dd} or {*}';

function checkTokens(text: string): void {
  for (const match of text.matchAll(tokenPattern)) {
    const name = match[1] ?? '';
    if (name !== '*' && !(name in dateTokens)) {
      throw new Error(`unknown token {${name}}; use ${knownTokens}`);
    }
  }
}

/**
 * What a trailing `/` stands for: one entry directly under it (the newest backup), or, with
 * `recursive` (backlog mode), every entry below it, subfolders included.
 */
export const anyBelow = '{**}';

/** Splits `file:///dir/x_{yyyyMMdd}.gz` or `s3://bucket/key` into scheme, bucket and template. */
export function parseLocation(
  location: string,
  options: { recursive?: boolean } = {},
): ParsedLocation {
  const withWildcard = (t: string): string =>
    t.endsWith('/') ? `${t}${options.recursive ? anyBelow : '{*}'}` : t;
  if (location.startsWith('file://')) {
    const path = location.slice('file://'.length);
    if (!path.startsWith('/')) {
      throw new Error('file:// locations need an absolute path, e.g. file:///backups/x.gz');
    }
    checkTokens(path);
    return { scheme: 'file', bucket: '', template: withWildcard(path) };
  }
  if (location.startsWith('s3://')) {
    const rest = location.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    const key = slash < 0 ? '' : rest.slice(slash + 1);
    if (!bucket || /[{}]/.test(bucket)) {
      throw new Error('s3:// locations need a literal bucket name: s3://bucket/key');
    }
    if (!key) throw new Error('s3:// locations need a key or prefix: s3://bucket/path/name.gz');
    checkTokens(key);
    return { scheme: 's3', bucket, template: withWildcard(key) };
  }
  throw new Error('must start with file:// or s3://');
}

/** The calendar date `dayOffset` days from `now`, in the config's time zone. */
export function backupDate(now: Date, timeZone: string, dayOffset: number): CalendarDate {
  const today = zonedDate(now, timeZone);
  const shifted = new Date(
    Date.UTC(Number(today.yyyy), Number(today.MM) - 1, Number(today.dd) + dayOffset),
  );
  return {
    yyyy: String(shifted.getUTCFullYear()).padStart(4, '0'),
    MM: String(shifted.getUTCMonth() + 1).padStart(2, '0'),
    dd: String(shifted.getUTCDate()).padStart(2, '0'),
  };
}

/** Replaces the date tokens; `{*}` stays. */
export function fillDate(template: string, date: CalendarDate): string {
  return template.replace(tokenPattern, (whole, name: string) => dateTokens[name]?.(date) ?? whole);
}

export const hasTokens = (text: string): boolean => /\{[^}]*\}/.test(text);

/** Text before the first token: the S3 list prefix. */
export function literalPrefix(template: string): string {
  const at = template.indexOf('{');
  return at < 0 ? template : template.slice(0, at);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * A regular expression for (part of) a template: `{*}` matches within one path segment, date
 * tokens match digits (any date), so every earlier backup of the same series matches.
 */
export function templatePattern(template: string): RegExp {
  let source = '';
  let last = 0;
  for (const match of template.matchAll(tokenPattern)) {
    source += escapeRegExp(template.slice(last, match.index));
    const name = match[1] ?? '';
    // `{**}` never matches a key ending in `/` (an S3 console's "folder" placeholder).
    source += name === '*' ? '[^/]*' : name === '**' ? '.*[^/]' : `\\d{${dateDigits[name] ?? 1}}`;
    last = (match.index ?? 0) + match[0].length;
  }
  source += escapeRegExp(template.slice(last));
  return new RegExp(`^${source}$`);
}
