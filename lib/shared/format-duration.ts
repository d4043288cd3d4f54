/**
 * The one duration formatter: every summary, email and table that shows a span of time uses it,
 * so "2h10m" means the same thing everywhere. Input is milliseconds (convert seconds at the call).
 */
export type DurationStyle =
  /** kubectl-style, for ages and "firing for": 450ms, 45s, 12m, 3h20m, 5d3h. */
  | 'compact'
  /** One unit with a decimal, for "how old": 12 min, 30.1 h, 3.5 days. */
  | 'hours'
  /** Whole units, rounded down, for calendars ("expires in 12 days"): 1 day, 5 hours. */
  | 'days';

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

export function formatDuration(ms: number, style: DurationStyle = 'compact'): string {
  if (!Number.isFinite(ms)) return 'unknown';
  const value = Math.max(0, ms);
  if (style === 'days') {
    const whole = (count: number, unit: string): string =>
      `${count} ${unit}${count === 1 ? '' : 's'}`;
    if (value >= day) return whole(Math.floor(value / day), 'day');
    if (value >= hour) return whole(Math.floor(value / hour), 'hour');
    return 'less than an hour';
  }
  if (style === 'hours') {
    if (value < hour) return `${Math.round(value / minute)} min`;
    if (value < 48 * hour) return `${(value / hour).toFixed(1)} h`;
    return `${(value / day).toFixed(1)} days`;
  }
  if (value < second) return `${Math.round(value)}ms`;
  const seconds = Math.floor(value / second);
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${seconds % 60 && m < 10 ? `${seconds % 60}s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  const d = Math.floor(h / 24);
  return `${d}d${h % 24 ? `${h % 24}h` : ''}`;
}

/** A short elapsed time for timings: "41 ms", "1.2 s", then as `formatDuration`. */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  if (ms < 1000) return `${Math.round(Math.max(0, ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return formatDuration(ms);
}

/**
 * A time limit as `timeoutSeconds` is written: "20s", "2.5s", "0.3s" (to the nearest tenth), so
 * "timed out after 20s" reads the same from the engine and from a plugin that stops a hair earlier.
 */
export function formatSeconds(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  return `${Math.round(Math.max(0, ms) / 100) / 10}s`;
}
