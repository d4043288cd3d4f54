import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../lib/config/load-config.ts';
import { collectStatusFeed } from '../../lib/report/collect.ts';
import { buildStatusFeed, parseStatusFeed } from '../../lib/report/status-feed.ts';
import { buildTimeline, dayBefore, type RunPoint, uptimeOver } from '../../lib/report/timeline.ts';
import { openLocalStore } from '../../lib/store/local-store.ts';
import { writeStatusFixture } from './status-fixture.ts';

const hcm = 'Asia/Ho_Chi_Minh';
const point = (at: string, status: RunPoint['status']): RunPoint => ({
  at,
  suite: 'morning',
  status,
  durationMs: 5,
  summary: status,
});

describe('timeline', () => {
  const now = new Date('2026-11-22T05:00:00Z'); // 12:00 in Ho Chi Minh City

  it('tallies runs per calendar day in the config zone, not in UTC', () => {
    const timeline = buildTimeline({
      // 23:30 UTC on the 20th is 06:30 on the 21st in Ho Chi Minh City.
      runs: [point('2026-11-20T23:30:00Z', 'critical'), point('2026-11-21T01:00:00Z', 'ok')],
      now,
      timeZone: hcm,
    });
    expect(timeline.days).toEqual([{ day: '2026-11-21', runs: 2, up: 1, worst: 'critical' }]);
  });

  it('counts a run once however often it was read, and keeps the newest 30', () => {
    const runs = Array.from({ length: 40 }, (_, i) =>
      point(new Date(now.getTime() - (40 - i) * 60_000).toISOString(), i % 2 ? 'ok' : 'warning'),
    );
    const timeline = buildTimeline({ runs: [...runs, ...runs.slice(-5)], now, timeZone: hcm });
    expect(timeline.recent).toHaveLength(30);
    expect(timeline.recent.at(-1)).toEqual(runs.at(-1));
    expect(timeline.days).toEqual([{ day: '2026-11-22', runs: 40, up: 40, worst: 'warning' }]);
  });

  it('carries finished days from the previous feed and recounts today', () => {
    const timeline = buildTimeline({
      runs: [point('2026-11-22T01:00:00Z', 'ok'), point('2026-11-21T01:00:00Z', 'ok')],
      now,
      timeZone: hcm,
      completeFromDay: '2026-11-22',
      previousDays: [
        { day: '2026-08-01', runs: 1, up: 1, worst: 'ok' }, // beyond 90 days: dropped
        { day: '2026-11-21', runs: 3, up: 2, worst: 'critical' },
        { day: '2026-11-22', runs: 9, up: 9, worst: 'ok' }, // stale: today is recounted
      ],
    });
    expect(timeline.days).toEqual([
      { day: '2026-11-21', runs: 3, up: 2, worst: 'critical' },
      { day: '2026-11-22', runs: 1, up: 1, worst: 'ok' },
    ]);
  });

  it.each([
    [7, { percent: 85.7, runs: 7 }],
    [30, { percent: 90, runs: 30 }],
    [90, { percent: 90, runs: 30 }],
  ])('uptime over %i days counts ok and warning as up and rounds down', (days, expected) => {
    const runs = Array.from({ length: 30 }, (_, i) => {
      const at = new Date(Date.UTC(2026, 10, 22 - i, 1)).toISOString();
      // Down on days 2 and 20 and 25 before today; a warning on day 3 still counts as up.
      return point(
        at,
        [2, 20, 25].includes(i) ? (i === 2 ? 'critical' : 'unknown') : i === 3 ? 'warning' : 'ok',
      );
    });
    const timeline = buildTimeline({ runs, now, timeZone: hcm });
    expect(uptimeOver(timeline, days, now, hcm)).toEqual(expected);
  });

  it('has no uptime figure for a window without runs', () => {
    expect(uptimeOver({ recent: [], days: [] }, 7, now, hcm)).toEqual({ percent: null, runs: 0 });
    expect(dayBefore(now, 6, hcm)).toBe('2026-11-16');
  });
});

describe('status feed', () => {
  const now = new Date('2026-11-22T05:00:00Z');
  const config = {
    timezone: hcm,
    suites: [{ id: 'morning', schedule: 'cron(0 8 * * ? *)', checks: ['a', 'b', 'c', 'd'] }],
    checks: ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({
      id,
      type: 'disk',
      severity: (['P3', 'P2', 'P1', 'P1', 'P4'] as const)[i],
    })),
  } as unknown as Parameters<typeof buildStatusFeed>[0]['config'];
  const state = (status: RunPoint['status'], failingSince?: string, alerted = status) => ({
    check: 'x',
    version: 1,
    appliedSlots: [],
    alert: {
      lastStatus: status,
      statusSince: failingSince ?? '2026-11-01T01:00:00Z',
      ...(failingSince ? { failingSince } : {}),
      consecutiveFailures: 1,
      consecutiveSuccesses: 0,
      alertedStatus: alerted,
      lastRunAt: '2026-11-22T01:00:00Z',
      outbox: [],
    },
    lastResult: {
      check: 'x',
      type: 'disk',
      status,
      summary: status,
      details: {},
      durationMs: 3,
      startedAt: '2026-11-22T01:00:00Z',
      finishedAt: '2026-11-22T01:00:00Z',
    },
  });

  it('orders incidents by status, then severity, then the oldest failure; an open alert counts', () => {
    const feed = buildStatusFeed({
      config,
      states: new Map([
        ['a', state('critical', '2026-11-20T01:00:00Z')],
        ['b', state('warning', '2026-11-21T01:00:00Z')],
        ['c', state('critical', '2026-11-21T01:00:00Z')],
        // ok again, but the alert waits for successThreshold: still open.
        ['d', state('ok', undefined, 'critical')],
      ]),
      timelines: new Map(),
      now,
    });
    expect(feed.incidents).toEqual(['c', 'a', 'b', 'd']);
    expect(feed.counts).toEqual({ ok: 1, warning: 1, unknown: 0, critical: 2, never: 1 });
    expect(feed.status).toBe('critical');
    expect(feed.suites[0]?.nextRunAt).toBe('2026-11-23T01:00:00.000Z');
    expect(feed.checks.find((c) => c.id === 'e')).toMatchObject({ status: null, nextRunAt: null });
  });

  it('reads back only a feed of its own format and version', () => {
    const feed = buildStatusFeed({ config, states: new Map(), timelines: new Map(), now });
    expect(parseStatusFeed(JSON.stringify(feed))?.generatedAt).toBe(now.toISOString());
    expect(parseStatusFeed(JSON.stringify({ ...feed, version: 2 }))).toBeUndefined();
    expect(parseStatusFeed('<html>')).toBeUndefined();
  });
});

describe('collecting from the store', { timeout: 120_000 }, () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'healthcheck-collect-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('the incremental path (previous feed + today) gives the same tallies as reading 90 days', async () => {
    const fixture = await writeStatusFixture(dir, 12);
    const config = await loadConfigFile(fixture.configFile, { env: {} });
    const embedded = await openLocalStore(fixture.stateDir, {
      access: 'read-write',
      waitMs: 10_000,
    });
    try {
      // An hour after the last morning: "today" in the config zone is that morning's day (with
      // the real clock, between midnight and 08:00 there, today would hold no run yet).
      const now = new Date((fixture.mornings.at(-1) as Date).getTime() + 3_600_000);
      const full = await collectStatusFeed(config, embedded.store, { now });
      // Yesterday's published feed: today's tallies and runs not in it yet, a wrong today entry.
      const today = full.checks[0]?.days.at(-1)?.day;
      const previous = {
        ...full,
        checks: full.checks.map((c) => ({
          ...c,
          recent: c.recent.slice(0, -1),
          days: [
            ...c.days.filter((d) => d.day !== today),
            ...(today ? [{ day: today, runs: 99, up: 0, worst: 'critical' as const }] : []),
          ],
        })),
      };
      const reads: string[] = [];
      const counting = {
        getStates: embedded.store.getStates.bind(embedded.store),
        history: (id: string, range?: { since?: Date; limit?: number }) => {
          reads.push(`${id}:${range?.since ? 'since' : 'newest'}:${range?.limit}`);
          return embedded.store.history(id, range);
        },
      };
      const incremental = await collectStatusFeed(config, counting, { now, previous });
      expect(incremental.checks.map((c) => c.days)).toEqual(full.checks.map((c) => c.days));
      expect(incremental.checks.map((c) => c.recent)).toEqual(full.checks.map((c) => c.recent));
      expect(incremental.checks.map((c) => c.uptime)).toEqual(full.checks.map((c) => c.uptime));
      // Only the newest runs were read: 12 mornings fit in one read of 30.
      expect(reads.every((r) => r.endsWith(':newest:30'))).toBe(true);
    } finally {
      embedded.close();
    }
  });
});
