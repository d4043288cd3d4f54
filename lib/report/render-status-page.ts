import type { Status } from '../core/status.ts';
import { formatNextRun } from '../schedule/next-run.ts';
import { formatElapsed } from '../shared/format-duration.ts';
import { describeTimeZone, formatZonedTime, formatZonedTimeAgo } from '../shared/format-time.ts';
import { durationSparkline, runStrip, statusIcon, statusLabel } from './charts.ts';
import { anchorId, escapeHtml, safeHref } from './html.ts';
import type { FeedCheck, FeedSuite, StatusFeed } from './status-feed.ts';
import { uptimeWindowDays } from './timeline.ts';

export interface StatusPageOptions {
  /** Page heading and title. @default 'Health status' */
  readonly title?: string;
  /** Link to the JSON feed beside the page (relative). @default 'status.json' */
  readonly feedHref?: string;
  /** Shown in the footer. */
  readonly version?: string;
}

/**
 * One self-contained page: inline CSS and SVG, no script, no font, no image file, and a Content
 * Security Policy that forbids fetching anything, so it works from file://, S3 or CloudFront and
 * leaks nothing. Colours meet WCAG AA contrast in light and dark schemes, every status has a text
 * label and a shape beside its colour, and the layout stacks on a phone.
 */
const styles = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--card:#f6f8fa;--border:#d1d9e0;
--ok:#1a7f37;--warning:#9a6700;--unknown:#8250df;--critical:#cf222e;--never:#59636e;--on-status:#fff;--link:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9ea7b3;--card:#151b23;--border:#3d444d;
--ok:#3fb950;--warning:#d29922;--unknown:#b392f0;--critical:#ff7b72;--never:#9ea7b3;--on-status:#0d1117;--link:#4493f8}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
a{color:var(--link)}
header,main,footer{max-width:1100px;margin:0 auto;padding:0 16px}
header{padding-top:20px}
h1{font-size:1.6rem;margin:0 0 6px}
h2{font-size:1.25rem;margin:28px 0 4px}
h3{font-size:1.05rem;margin:0;overflow-wrap:anywhere}
.meta,.caption,.suite-meta,footer{color:var(--muted);font-size:.9rem}
.meta{margin:4px 0}
.pill{display:inline-flex;align-items:center;gap:.35em;padding:2px 10px;border-radius:999px;font-weight:700;font-size:.85rem;letter-spacing:.02em;white-space:nowrap;color:var(--on-status)}
.p-ok{background:var(--ok)}.p-warning{background:var(--warning)}.p-unknown{background:var(--unknown)}.p-critical{background:var(--critical)}.p-never{background:var(--never)}
.overall{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0}
.checks{list-style:none;margin:8px 0 0;padding:0;display:grid;gap:10px}
.check{background:var(--card);border:1px solid var(--border);border-left:6px solid var(--never);border-radius:8px;padding:12px 14px}
.check.s-ok{border-left-color:var(--ok)}.check.s-warning{border-left-color:var(--warning)}.check.s-unknown{border-left-color:var(--unknown)}.check.s-critical{border-left-color:var(--critical)}
.head{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:center}
.id{font:.85rem ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted)}
.sev{font-weight:700;font-size:.85rem;border:1px solid var(--border);border-radius:4px;padding:0 6px}
.summary{margin:8px 0;overflow-wrap:anywhere}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(210px,1fr));gap:4px 16px;margin:8px 0}
.facts div{min-width:0}.facts dt{color:var(--muted);font-size:.8rem;text-transform:uppercase;letter-spacing:.04em}
.facts dd{margin:0;overflow-wrap:anywhere}
code{font:.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.trend{display:flex;flex-wrap:wrap;gap:8px 28px;align-items:flex-end;margin-top:6px}
.chart{margin:0}.chart svg{display:block;max-width:100%;height:auto}
.bar.s-ok{fill:var(--ok)}.bar.s-warning{fill:var(--warning)}.bar.s-unknown{fill:var(--unknown)}.bar.s-critical{fill:var(--critical)}
.spark{stroke:var(--fg)}.spark-dot{fill:var(--fg)}
.none{padding:12px 14px;border:1px dashed var(--border);border-radius:8px}
footer{padding:28px 16px}
@media (max-width:600px){body{font-size:15px}h1{font-size:1.35rem}.check{padding:10px}.facts{grid-template-columns:1fr 1fr}}
@media (max-width:380px){.facts{grid-template-columns:1fr}}
`;

const csp =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

function pill(status: Status | null): string {
  if (!status)
    return '<span class="pill p-never"><span aria-hidden="true">–</span>NEVER RUN</span>';
  return `<span class="pill p-${status}"><span aria-hidden="true">${statusIcon[status]}</span>${statusLabel[status]}</span>`;
}

function fact(label: string, value: string): string {
  return `<div><dt>${escapeHtml(label)}</dt><dd>${value}</dd></div>`;
}

function runbook(text: string | null): string {
  if (!text) return '';
  const href = safeHref(text);
  return fact(
    'Runbook',
    href
      ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${escapeHtml(text)}</a>`
      : `<code>${escapeHtml(text)}</code>`,
  );
}

function uptime(check: FeedCheck): string {
  return uptimeWindowDays
    .map((days) => {
      const u = check.uptime[`${days}d`];
      const value = u?.percent === null || u?.percent === undefined ? 'no runs' : `${u.percent}%`;
      return `<span title="${u?.runs ?? 0} runs">${days} d ${value}</span>`;
    })
    .join(' · ');
}

function alertText(check: FeedCheck, tz: string): string {
  const alert = check.alert;
  if (!alert) return '';
  if (alert.status === 'ok') {
    return check.status && check.status !== 'ok' ? fact('Alert', 'not notified yet') : '';
  }
  const when = alert.notifiedAt ? ` ${escapeHtml(formatZonedTime(alert.notifiedAt, tz))}` : '';
  const pending = alert.pending > 0 ? `, ${alert.pending} not delivered yet` : '';
  return fact('Alert', `${escapeHtml(alert.status)} notified${when}${pending}`);
}

function cardHead(check: FeedCheck): string {
  const title = check.name ?? check.id;
  return `<div class="head">${pill(check.status)}<h3>${escapeHtml(title)}</h3>${check.name ? `<span class="id">${escapeHtml(check.id)}</span>` : ''}<span class="sev" title="severity">${escapeHtml(check.severity)}</span><span class="id">${escapeHtml(check.type)}</span></div>`;
}

/** An incident inside its suite: the status and a link up to its full card, not a second copy. */
function incidentRef(check: FeedCheck, anchor: string): string {
  return `<li class="check s-${check.status ?? 'never'}" id="${anchorId(anchor, check.id)}">
${cardHead(check)}
<p class="summary">${check.summary === null ? 'No result recorded yet.' : escapeHtml(check.summary)} <a href="#${anchorId('incident', check.id)}">Details under open incidents</a></p>
</li>`;
}

function checkCard(check: FeedCheck, feed: StatusFeed, now: Date, anchor: string): string {
  const tz = feed.timezone;
  const failing = check.status && check.status !== 'ok' && check.failingSince;
  const since = check.status
    ? fact(
        failing ? 'Failing since' : 'Since',
        escapeHtml(formatZonedTimeAgo(failing ? check.failingSince : check.since, tz, now)),
      )
    : '';
  const next = check.nextRunAt
    ? fact(
        'Next run',
        escapeHtml(`${check.nextRunEstimated ? '~' : ''}${formatZonedTime(check.nextRunAt, tz)}`),
      )
    : fact('Next run', check.suites.length > 0 ? 'not scheduled ahead' : 'in no suite');
  return `<li class="check s-${check.status ?? 'never'}" id="${anchorId(anchor, check.id)}">
${cardHead(check)}
<p class="summary">${check.summary === null ? 'No result recorded yet.' : escapeHtml(check.summary)}</p>
<dl class="facts">${since}${fact('Last run', escapeHtml(check.lastRunAt ? `${formatZonedTime(check.lastRunAt, tz)}${check.durationMs === null ? '' : `, took ${formatElapsed(check.durationMs)}`}` : 'never'))}${next}${fact('Uptime', uptime(check))}${alertText(check, tz)}${runbook(check.runbook)}</dl>
<div class="trend">${runStrip(check.recent, tz)}${durationSparkline(check.recent)}</div>
</li>`;
}

function suiteSection(suite: FeedSuite, feed: StatusFeed, now: Date): string {
  const tz = feed.timezone;
  const checks = suite.checks
    .map((id) => feed.checks.find((c) => c.id === id))
    .filter((c): c is FeedCheck => c !== undefined);
  const next = formatNextRun(
    {
      ...(suite.nextRunAt ? { at: new Date(suite.nextRunAt) } : {}),
      certainty: suite.nextRunAt ? (suite.nextRunEstimated ? 'estimated' : 'exact') : 'none',
      ...(suite.everyMinutes ? { everyMinutes: suite.everyMinutes } : {}),
    },
    tz,
    now,
  );
  const heading = anchorId('suite', suite.id);
  return `<section aria-labelledby="${heading}">
<h2 id="${heading}">Suite ${escapeHtml(suite.id)}</h2>
<p class="suite-meta">${suite.description ? `${escapeHtml(suite.description)} · ` : ''}<code>${escapeHtml(suite.schedule)}</code> · next run ${escapeHtml(next)}</p>
<ul class="checks">${checks
    .map((c) =>
      feed.incidents.includes(c.id)
        ? incidentRef(c, `${suite.id}-check`)
        : checkCard(c, feed, now, `${suite.id}-check`),
    )
    .join('\n')}</ul>
</section>`;
}

function overallText(feed: StatusFeed): string {
  const order: (Status | 'never')[] = ['critical', 'unknown', 'warning', 'ok', 'never'];
  return order
    .filter((s) => feed.counts[s] > 0)
    .map((s) => `${feed.counts[s]} ${s === 'never' ? 'never run' : s}`)
    .join(', ');
}

export function renderStatusPage(feed: StatusFeed, options: StatusPageOptions = {}): string {
  const now = new Date(feed.generatedAt);
  const tz = feed.timezone;
  const title = options.title ?? 'Health status';
  const incidents = feed.incidents
    .map((id) => feed.checks.find((c) => c.id === id))
    .filter((c): c is FeedCheck => c !== undefined);
  const unscheduled = feed.checks.filter((c) => c.suites.length === 0);
  const tabTitle =
    incidents.length > 0
      ? `${incidents.length} open incident${incidents.length === 1 ? '' : 's'} · ${title}`
      : `All clear · ${title}`;
  const incidentsSection = `<section aria-labelledby="incidents">
<h2 id="incidents">Open incidents (${incidents.length})</h2>
${incidents.length > 0 ? `<ul class="checks">${incidents.map((c) => checkCard(c, feed, now, 'incident')).join('\n')}</ul>` : '<p class="none">No open incidents: every check that ran is ok.</p>'}
</section>`;
  const unscheduledSection =
    unscheduled.length > 0
      ? `<section aria-labelledby="unscheduled"><h2 id="unscheduled">Checks in no suite</h2><p class="suite-meta">Run only on demand (healthcheck run --check ID).</p><ul class="checks">${unscheduled.map((c) => (feed.incidents.includes(c.id) ? incidentRef(c, 'check') : checkCard(c, feed, now, 'check'))).join('\n')}</ul></section>`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(tabTitle)}</title>
<style>${styles}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<div class="overall">${pill(feed.status)}<span>${escapeHtml(overallText(feed))}</span></div>
<p class="meta">Updated ${escapeHtml(formatZonedTime(feed.generatedAt, tz, 'second'))} · times in ${escapeHtml(describeTimeZone(tz, now))} · <a href="${escapeHtml(options.feedHref ?? 'status.json')}">JSON feed</a></p>
</header>
<main>
${incidentsSection}
${feed.suites.map((s) => suiteSection(s, feed, now)).join('\n')}
${unscheduledSection}
</main>
<footer>Generated by healthcheck${options.version ? ` ${escapeHtml(options.version)}` : ''}. Uptime counts ok and warning runs as up, critical and unknown as down, per calendar day in ${escapeHtml(tz)}.</footer>
</body>
</html>
`;
}
