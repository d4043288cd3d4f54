import type { Status } from '../core/status.ts';
import { formatElapsed } from '../shared/format-duration.ts';
import { formatZonedTime } from '../shared/format-time.ts';
import { escapeHtml } from './html.ts';
import { type RunPoint, recentRunsKept } from './timeline.ts';

/**
 * Inline SVG, no scripts, no fonts: the charts render from a file:// page, an S3 object or a mail
 * attachment alike. Colour is never the only signal: a strip bar's height grows with how bad the
 * run was, every bar has a tooltip, and each chart has a text caption beside it.
 */
const barHeight: Record<Status, number> = { ok: 8, warning: 14, unknown: 18, critical: 22 };
const stripHeight = 24;
const barWidth = 6;
const barGap = 2;

export const statusLabel: Record<Status, string> = {
  ok: 'OK',
  warning: 'WARNING',
  unknown: 'UNKNOWN',
  critical: 'CRITICAL',
};

/** Shapes beside the label, so statuses differ without colour too. */
export const statusIcon: Record<Status, string> = {
  ok: '✓',
  warning: '▲',
  unknown: '?',
  critical: '✕',
};

function tally(points: readonly RunPoint[]): string {
  const counts = new Map<Status, number>();
  for (const p of points) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const order: Status[] = ['critical', 'unknown', 'warning', 'ok'];
  return order
    .filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s}`)
    .join(', ');
}

/** The last runs as bars, oldest left; the caption counts them by status. */
export function runStrip(points: readonly RunPoint[], timeZone: string): string {
  const shown = points.slice(-recentRunsKept);
  if (shown.length === 0) return '<p class="caption">No runs recorded yet.</p>';
  const width = recentRunsKept * (barWidth + barGap);
  const offset = (recentRunsKept - shown.length) * (barWidth + barGap);
  const bars = shown
    .map((p, i) => {
      const h = barHeight[p.status];
      const label = `${formatZonedTime(p.at, timeZone)}: ${statusLabel[p.status]}, ${formatElapsed(p.durationMs)}: ${p.summary}`;
      return `<rect class="bar s-${p.status}" x="${offset + i * (barWidth + barGap)}" y="${stripHeight - h}" width="${barWidth}" height="${h}" rx="1"><title>${escapeHtml(label)}</title></rect>`;
    })
    .join('');
  const caption = `Last ${shown.length} run${shown.length === 1 ? '' : 's'}: ${tally(shown)}`;
  return `<figure class="chart"><svg class="strip" viewBox="0 0 ${width} ${stripHeight}" width="${width}" height="${stripHeight}" role="img" aria-label="${escapeHtml(caption)}; each bar is one run, taller is worse">${bars}</svg><figcaption class="caption">${escapeHtml(caption)}</figcaption></figure>`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** How long the last runs took, as a line; the caption gives the latest, median and range. */
export function durationSparkline(points: readonly RunPoint[]): string {
  const shown = points.slice(-recentRunsKept);
  if (shown.length === 0) return '';
  const values = shown.map((p) => Math.max(0, p.durationMs));
  const max = Math.max(...values, 1);
  const width = recentRunsKept * (barWidth + barGap);
  const height = stripHeight;
  // Points sit above the strip's bars, so run i is in the same column in both charts.
  const offset = (recentRunsKept - shown.length) * (barWidth + barGap);
  const xy = values.map((v, i) => {
    const x = offset + i * (barWidth + barGap) + barWidth / 2;
    const y = height - 2 - (v / max) * (height - 4);
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10] as const;
  });
  const [lx, ly] = xy.at(-1) ?? [0, 0];
  const latest = values.at(-1) ?? 0;
  const caption = `Duration: latest ${formatElapsed(latest)}, median ${formatElapsed(median(values))}, range ${formatElapsed(Math.min(...values))} to ${formatElapsed(Math.max(...values))}`;
  const line =
    xy.length > 1
      ? `<polyline class="spark" points="${xy.map(([x, y]) => `${x},${y}`).join(' ')}" fill="none" stroke-width="1.5" stroke-linejoin="round"/>`
      : '';
  return `<figure class="chart"><svg class="sparkline" viewBox="-3 0 ${width + 6} ${height}" width="${width + 6}" height="${height}" role="img" aria-label="${escapeHtml(caption)}">${line}<circle class="spark-dot" cx="${lx}" cy="${ly}" r="2.5"/></svg><figcaption class="caption">${escapeHtml(caption)}</figcaption></figure>`;
}
