/**
 * The status page: how long reading a store and rendering takes, and how much the publish after a
 * Lambda run reads. 20 checks over 90 days: 2 on a 15-minute schedule (8,640 runs each), 18 daily.
 *
 *   node_modules/.bin/node bench/status-page.ts      (or npm run bench -- --only status-page)
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from '../lib/alerting/result-store.ts';
import { parseConfig } from '../lib/config/load-config.ts';
import type { Status } from '../lib/core/status.ts';
import { collectStatusFeed } from '../lib/report/collect.ts';
import { renderStatusPage } from '../lib/report/render-status-page.ts';
import { openLocalStore } from '../lib/store/local-store.ts';
import { type BenchContext, defaultContext } from './support/context.ts';
import { projectRoot } from './support/healthcheck-cli.ts';
import {
  emptySection,
  renderSection,
  type SectionResult,
  writeSectionJson,
} from './support/report.ts';
import { median, round } from './support/stats.ts';
import { runTimed } from './support/timed-process.ts';

const minuteMs = 60_000;
const dayMs = 86_400_000;

function configFor(): { raw: Record<string, unknown>; yaml: string } {
  const frequent = ['pods-a', 'pods-b'];
  const daily = Array.from({ length: 18 }, (_, i) => `daily-${i + 1}`);
  const checks = [...frequent, ...daily].map((id) => ({ id, type: 'disk', paths: ['/'] }));
  const raw = {
    timezone: 'Asia/Ho_Chi_Minh',
    suites: [
      { id: 'pods', schedule: 'rate(15 minutes)', checks: frequent },
      { id: 'morning', schedule: 'cron(0 8 * * ? *)', checks: daily },
    ],
    checks,
  };
  return { raw, yaml: JSON.stringify(raw) };
}

function record(check: string, at: number, suite: string, status: Status): RunRecord {
  const iso = new Date(at).toISOString();
  return {
    at: iso,
    suite,
    scheduledTime: iso,
    result: {
      check,
      type: 'disk',
      status,
      summary: `/ 41.0% used, 58 GiB free (warning at 70%, critical at 80%) ${status}`,
      details: { filesystems: [{ path: '/', usedPercent: 41 }] },
      durationMs: 5 + (at % 37),
      startedAt: iso,
      finishedAt: iso,
    },
  };
}

export async function runStatusPageBench(context: BenchContext): Promise<SectionResult> {
  const result = emptySection('status-page', 'Status page: reading the store and rendering');
  const { raw, yaml } = configFor();
  const config = parseConfig(raw, { env: {} });
  const configFile = join(context.workDir, 'status-page.json');
  writeFileSync(configFile, yaml);
  const stateDir = join(context.workDir, 'status-page-state');
  const now = Date.now();
  const embedded = await openLocalStore(stateDir, { access: 'read-write', waitMs: 10_000 });
  let written = 0;
  try {
    const expiresAt = Math.floor(now / 1000) + 100 * 86_400;
    for (const check of config.checks) {
      const frequent = check.id.startsWith('pods');
      const step = frequent ? 15 * minuteMs : dayMs;
      const records: RunRecord[] = [];
      for (let at = now - 90 * dayMs + step; at <= now; at += step) {
        const failing = Math.floor(at / (6 * 3_600_000)) % 11 === 0;
        records.push(
          record(check.id, at, frequent ? 'pods' : 'morning', failing ? 'critical' : 'ok'),
        );
      }
      await embedded.store.appendRuns(records, expiresAt);
      written += records.length;
    }
    let reads = 0;
    const counting = {
      getStates: embedded.store.getStates.bind(embedded.store),
      history: async (...args: Parameters<typeof embedded.store.history>) => {
        const out = await embedded.store.history(...args);
        reads += out.length;
        return out;
      },
    };
    const full: number[] = [];
    const incremental: number[] = [];
    const render: number[] = [];
    let fullReads = 0;
    let incrementalReads = 0;
    let pageBytes = 0;
    let feedBytes = 0;
    for (let run = 0; run <= context.runs; run++) {
      reads = 0;
      let t = performance.now();
      const feed = await collectStatusFeed(config, counting, { now: new Date() });
      const fullMs = performance.now() - t;
      fullReads = reads;
      reads = 0;
      t = performance.now();
      await collectStatusFeed(config, counting, { now: new Date(), previous: feed });
      const incrementalMs = performance.now() - t;
      incrementalReads = reads;
      t = performance.now();
      const page = renderStatusPage(feed);
      const renderMs = performance.now() - t;
      pageBytes = Buffer.byteLength(page);
      feedBytes = Buffer.byteLength(JSON.stringify(feed));
      // The first round warms up the store and the JIT.
      if (run === 0) continue;
      full.push(fullMs);
      incremental.push(incrementalMs);
      render.push(renderMs);
    }
    result.tables.push({
      title: `20 checks, 90 days (${written.toLocaleString('en-US')} recorded runs), local SQLite store; median of ${context.runs}`,
      columns: ['phase', 'ms', 'runs read'],
      rows: [
        ['full read (healthcheck report, the local path)', round(median(full), 0), fullReads],
        [
          'after a run (previous feed + today, the Lambda path)',
          round(median(incremental), 0),
          incrementalReads,
        ],
        ['render HTML', round(median(render), 1), null],
      ],
    });
    result.notes.push(
      `page ${round(pageBytes / 1024, 0)} KB, feed ${round(feedBytes / 1024, 0)} KB for 20 checks`,
    );
    result.data['samples'] = { full, incremental, render, fullReads, incrementalReads, written };
  } finally {
    embedded.close();
  }
  const cli: number[] = [];
  const html = join(context.workDir, 'status-page', 'index.html');
  for (let run = 0; run <= context.runs; run++) {
    const r = await runTimed(
      process.execPath,
      [
        join(projectRoot, 'bin/healthcheck.js'),
        'report',
        '--config',
        configFile,
        '--state-dir',
        stateDir,
        '--html',
        html,
      ],
      { cwd: projectRoot, timeoutMs: 120_000 },
    );
    if (r.code !== 0) {
      result.skipped.push(`healthcheck report exited ${r.code}: ${r.stderr.slice(0, 300)}`);
      break;
    }
    if (run > 0) cli.push(r.wallMs);
  }
  if (cli.length > 0) {
    result.tables.push({
      title: 'healthcheck report, bundled CLI, wall time from spawn to exit',
      columns: ['case', 'ms'],
      rows: [['20 checks, 90 days', round(median(cli), 0)]],
    });
    result.data['cliMs'] = cli;
  }
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const context = defaultContext();
  try {
    const result = await runStatusPageBench(context);
    process.stdout.write(`${renderSection(result)}\n`);
    console.log(`(written to ${writeSectionJson(result)})`);
  } finally {
    rmSync(context.workDir, { recursive: true, force: true });
  }
}
