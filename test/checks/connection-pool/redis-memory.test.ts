import { type ChildProcess, spawn } from 'node:child_process';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/connection-pool/run.ts';
import type { CheckResult } from '../../../lib/core/result.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { context, poolConfig, refusedPort } from './pool-servers.ts';

// Our own redis-server with a small maxmemory: the shared Redis on 6379 must not be reconfigured.
const tempDir = useTempDirs();
const maxMemory = 4 * 1024 * 1024;
let port = 0;
let server: ChildProcess | undefined;

async function startRedis(): Promise<void> {
  const dir = await tempDir();
  server = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--maxmemory',
      String(maxMemory),
      '--maxmemory-policy',
      'allkeys-lru',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  const started = Date.now();
  for (;;) {
    const client = createClient({ url: url(), socket: { reconnectStrategy: false } });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      await client.close();
      return;
    } catch {
      client.destroy();
      if (Date.now() - started > 15_000) throw new Error('redis-server did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function stopRedis(): Promise<void> {
  const child = server;
  server = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const url = () => `redis://127.0.0.1:${port}`;

async function serverInfo(): Promise<Map<string, string>> {
  const client = createClient({ url: url() });
  await client.connect();
  try {
    const text = String(await client.info());
    return new Map(
      text
        .split(/\r?\n/)
        .filter((line) => line.includes(':') && !line.startsWith('#'))
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
    );
  } finally {
    await client.close();
  }
}

/** Writes ~1.5x maxmemory of values so the LRU policy has to evict. */
async function overfill(): Promise<void> {
  const client = createClient({ url: url() });
  await client.connect();
  try {
    const value = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 96; i++) await client.set(`hc-fill-${i}`, value);
  } finally {
    await client.close();
  }
}

function asPrevious(outcome: Awaited<ReturnType<typeof run>>): CheckResult {
  const at = new Date().toISOString();
  return {
    check: 'pool',
    type: 'connection-pool',
    status: outcome.status,
    summary: outcome.summary,
    details: outcome.details ?? {},
    durationMs: 1,
    startedAt: at,
    finishedAt: at,
  };
}

const memoryConfig = () =>
  poolConfig({
    engine: 'redis',
    url: url(),
    memoryWarningPercent: 50,
    memoryCriticalPercent: 80,
  });

beforeAll(async () => {
  port = await refusedPort();
  await startRedis();
}, 30_000);

afterAll(stopRedis);

describe('connection-pool redis memory (own redis-server with --maxmemory)', () => {
  it('reports used_memory against maxmemory and the evictions since the previous run', async () => {
    const first = await run(memoryConfig(), context());
    expect(first.status).toBe('ok');
    const memory = first.details?.['memory'] as Record<string, number | string>;
    expect(memory).toMatchObject({ maxBytes: maxMemory, policy: 'allkeys-lru', evictedKeys: 0 });
    expect(memory['usedPercent']).toBeLessThan(50);
    expect(first.summary).toMatch(
      new RegExp(
        `^redis 127\\.0\\.0\\.1:${port}: \\d+ of 10000 connections in use \\(0%\\); memory [\\d.]+ (KiB|MiB) of 4\\.0 MiB \\([\\d.]+%, allkeys-lru\\); warning at 70%, critical at 90%; memory warning at 50%, critical at 80%$`,
      ),
    );

    await overfill();
    const evictedNow = Number((await serverInfo()).get('evicted_keys'));
    expect(evictedNow).toBeGreaterThan(0);
    const second = await run(memoryConfig(), { ...context(), previous: asPrevious(first) });
    expect(second.status).toBe('critical');
    expect(second.details?.['memory']).toMatchObject({
      evictedKeys: evictedNow,
      evictedSincePrevious: evictedNow,
    });
    const secondMemory = (second.details?.['memory'] ?? {}) as { usedPercent?: number };
    expect(secondMemory.usedPercent).toBeGreaterThanOrEqual(80);
    expect(second.summary).toContain(`${evictedNow} keys evicted since the previous run`);

    // Nothing written since: no new evictions, and the summary does not repeat old ones.
    const third = await run(memoryConfig(), { ...context(), previous: asPrevious(second) });
    expect(third.details?.['memory']).toMatchObject({ evictedSincePrevious: 0 });
    expect(third.summary).not.toContain('evicted');
  });

  it('without thresholds reports memory but judges only connections', async () => {
    const outcome = await run(poolConfig({ engine: 'redis', url: url() }), context());
    expect(outcome.status).toBe('ok');
    expect(outcome.summary).toMatch(/; memory [\d.]+ MiB of 4\.0 MiB \([\d.]+%, allkeys-lru\)/);
    expect(outcome.summary).not.toContain('memory warning');
  });

  it('counts evictions from zero again after a restart (a new run_id)', async () => {
    const before = await run(memoryConfig(), context());
    await stopRedis();
    await startRedis();
    const after = await run(memoryConfig(), { ...context(), previous: asPrevious(before) });
    expect(after.details?.['memory']).toMatchObject({
      restartedSincePrevious: true,
      evictedSincePrevious: 0,
    });
    expect(after.summary).toContain('server restarted since the previous run');
  }, 30_000);
});

describe('memory threshold config', () => {
  it('only applies to Redis, warning not above critical', () => {
    expect(() =>
      poolConfig({ engine: 'postgres', url: 'postgres://h/db', memoryWarningPercent: 80 }),
    ).toThrow(/checks\[0\]\.memoryWarningPercent: only applies to engine redis/);
    expect(() =>
      poolConfig({
        engine: 'redis',
        url: 'redis://h',
        memoryWarningPercent: 95,
        memoryCriticalPercent: 90,
      }),
    ).toThrow(/checks\[0\]\.memoryWarningPercent: must not exceed memoryCriticalPercent \(90\)/);
  });
});
