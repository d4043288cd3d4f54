import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { repoRoot, runCli } from '../support/run-cli.ts';
import { morningsInLastWeek, names, timezone, writeStatusFixture } from './status-fixture.ts';

/** Screenshots stay after the run for people to look at; the folder is git-ignored. */
const outputDir = join(repoRoot, 'test-output', 'status-page');

/** "2026-11-22 08:00 +07:00", computed here with Intl, independently of the code under test. */
function hcmMinute(instant: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']} +07:00`;
}

/** The few DOM globals the in-page functions use (the test compiles without the DOM lib). */
interface StyleOf {
  readonly color: string;
  readonly backgroundColor: string;
}
interface BrowserGlobals {
  document: { documentElement: { scrollWidth: number }; body: unknown };
  innerWidth: number;
  getComputedStyle(element: unknown): StyleOf;
}

/** WCAG relative luminance contrast of two `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

describe('status page in headless Chromium', { timeout: 180_000 }, () => {
  let browser: BrowserContext;
  let pageFile = '';
  let feedFile = '';
  let mornings: Date[] = [];
  let requests: string[] = [];
  let blocked: string[] = [];
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'healthcheck-page-'));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    const dir = await tempDir();
    const fixture = await writeStatusFixture(dir);
    mornings = fixture.mornings;
    pageFile = join(dir, 'site', 'status.html');
    const report = await runCli([
      'report',
      '--config',
      fixture.configFile,
      '--state-dir',
      fixture.stateDir,
      '--html',
      pageFile,
    ]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain(
      `wrote status page ${pageFile} (6 checks, 3 open incidents: secureconnect-pods, nightly-backup, erp-cert)`,
    );
    feedFile = join(dir, 'site', 'status.json');
    browser = await launchChromium(await tempDir());
    // The page itself is a file; anything else it asks for is recorded and refused.
    await browser.route('**/*', async (route) => {
      if (route.request().url() === pathToFileURL(pageFile).href) return route.continue();
      blocked.push(route.request().url());
      return route.abort();
    });
    browser.on('request', (request) => requests.push(request.url()));
    await mkdir(outputDir, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  async function open(options: { width: number; dark: boolean }) {
    requests = [];
    blocked = [];
    const page = await browser.newPage();
    await page.setViewportSize({ width: options.width, height: 900 });
    await page.emulateMedia({ colorScheme: options.dark ? 'dark' : 'light' });
    await page.goto(pathToFileURL(pageFile).href, { waitUntil: 'load' });
    return page;
  }

  it('shows the open incidents first, most urgent first, with their Vietnamese names and history', async () => {
    const page = await open({ width: 1280, dark: false });
    const headings = await page.locator('main h2').allTextContents();
    expect(headings[0]).toBe('Open incidents (3)');
    expect(headings).toEqual([
      'Open incidents (3)',
      'Suite morning',
      'Suite pods',
      'Checks in no suite',
    ]);
    const incidents = page.locator('section[aria-labelledby="incidents"] > ul > li');
    expect(await incidents.locator('h3').allTextContents()).toEqual([
      names.pods,
      names.backup,
      names.cert,
    ]);
    const pods = incidents.nth(0);
    expect(await pods.locator('.pill').innerText()).toContain('CRITICAL');
    // It has failed on the last three mornings; before that it was fine.
    expect(await pods.locator('svg.strip').getAttribute('aria-label')).toMatch(
      /^Last 21 runs: 3 critical, 18 ok/,
    );
    expect(await pods.locator('svg.strip rect').count()).toBe(21);
    expect(await pods.locator('svg.sparkline').count()).toBe(1);
    expect(await pods.getByRole('link', { name: /wiki\.example\/secureconnect/ }).count()).toBe(1);
    // The backup's runbook is a command, shown as text, not a broken link.
    expect(await incidents.nth(1).locator('code').innerText()).toBe(
      'Re-run ./scripts/backup.sh and check /var/log/backup.log',
    );
    await page.screenshot({ path: join(outputDir, 'desktop-light.png'), fullPage: true });
    await page.close();
  });

  it('shows times in the config time zone with the offset', async () => {
    const page = await open({ width: 1280, dark: false });
    const header = await page.locator('header').innerText();
    expect(header).toContain('times in Asia/Ho_Chi_Minh (+07:00)');
    expect(header).toMatch(/Updated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+07:00/);
    const pods = page.locator('section[aria-labelledby="incidents"] > ul > li').nth(0);
    const firstFailure = mornings.at(-3) as Date;
    expect(await pods.locator('dl').innerText()).toContain(
      `FAILING SINCE\n${hcmMinute(firstFailure)}`,
    );
    // Every recorded run is 08:00 in Ho Chi Minh City, never the 01:00 UTC it is stored as.
    const tooltips = await pods.locator('svg.strip title').allTextContents();
    expect(tooltips.at(-1)).toContain(`${hcmMinute(mornings.at(-1) as Date)}: CRITICAL`);
    expect(tooltips.every((t) => / 08:00 \+07:00: /.test(t))).toBe(true);
    expect(await page.locator('body').innerText()).not.toMatch(/T\d\d:\d\d:\d\d(\.\d+)?Z/);
    // The suite's next run: tomorrow's (or today's) 08:00 there.
    expect(await page.locator('.suite-meta').first().innerText()).toMatch(
      /next run \d{4}-\d\d-\d\d 08:00 \+07:00 \(in /,
    );
    await page.close();
  });

  it('computes uptime per window: an outage ten days ago counts in 30 days, not in 7', async () => {
    const page = await open({ width: 1280, dark: false });
    const db = page.locator('#morning-check-erp-db');
    const uptime = await db.locator('dd', { hasText: '7 d' }).innerText();
    // 21 mornings, 3 of them unknown: 18/21 = 85.7% over 30 and 90 days; 7 of 7 in the last week.
    expect(uptime).toBe('7 d 100% · 30 d 85.7% · 90 d 85.7%');
    await page.close();
  });

  it('makes no network request at all', async () => {
    const page = await open({ width: 1280, dark: false });
    await page.waitForLoadState('networkidle');
    expect(blocked).toEqual([]);
    expect(requests).toEqual([pathToFileURL(pageFile).href]);
    await page.close();
  });

  it('is readable on a phone in dark mode: no sideways scrolling, labels meet contrast', async () => {
    const page = await open({ width: 390, dark: true });
    const layout = await page.evaluate(() => {
      const g = globalThis as unknown as BrowserGlobals;
      const body = g.getComputedStyle(g.document.body);
      return {
        scrollWidth: g.document.documentElement.scrollWidth,
        innerWidth: g.innerWidth,
        background: body.backgroundColor,
        color: body.color,
      };
    });
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    // Dark scheme applied: a dark background with light text.
    expect(contrast(layout.background, 'rgb(0, 0, 0)')).toBeLessThan(1.5);
    expect(contrast(layout.color, layout.background)).toBeGreaterThan(7);
    for (const dark of [true, false]) {
      await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
      const pills = await page.locator('.pill').evaluateAll((els) =>
        els.map((el) => {
          const style = (globalThis as unknown as BrowserGlobals).getComputedStyle(el);
          return { text: el.textContent ?? '', fg: style.color, bg: style.backgroundColor };
        }),
      );
      const kinds = new Set(pills.map((p) => p.text.replace(/^\W+/, '')));
      expect(kinds).toEqual(new Set(['CRITICAL', 'WARNING', 'OK', 'NEVER RUN']));
      for (const p of pills) {
        // WCAG AA for the status labels in both schemes.
        expect(contrast(p.fg, p.bg), `${p.text} ${dark ? 'dark' : 'light'}`).toBeGreaterThanOrEqual(
          4.5,
        );
      }
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(outputDir, 'phone-dark.png'), fullPage: true });
    await page.close();
  });

  it('publishes the same data as a JSON feed beside the page', async () => {
    const feed = JSON.parse(await readFile(feedFile, 'utf8'));
    expect(feed).toMatchObject({
      format: 'healthcheck-status',
      version: 1,
      timezone,
      status: 'critical',
      incidents: ['secureconnect-pods', 'nightly-backup', 'erp-cert'],
      counts: { critical: 2, warning: 1, ok: 2, unknown: 0, never: 1 },
    });
    const pods = feed.checks.find((c: { id: string }) => c.id === 'secureconnect-pods');
    expect(pods).toMatchObject({
      name: names.pods,
      status: 'critical',
      failingSince: (mornings.at(-3) as Date).toISOString(),
    });
    // Failing on the last three mornings: the week's share of ok runs follows from its runs.
    const week = morningsInLastWeek(mornings, new Date(feed.generatedAt));
    expect(pods.uptime['7d']).toEqual({
      percent: Math.round(((week - 3) / week) * 1000) / 10,
      runs: week,
    });
    expect(pods.recent).toHaveLength(21);
    const page = await open({ width: 1280, dark: false });
    expect(await page.getByRole('link', { name: 'JSON feed' }).getAttribute('href')).toBe(
      'status.json',
    );
    await page.close();
  });
});
