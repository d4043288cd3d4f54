import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../lib/core/engine.ts';
import { fakeCheck, loaderOf } from '../support/fake-checks.ts';

const timezone = 'UTC';

describe('check engine', () => {
  it('reports a hung check as unknown at its deadline while the others finish', async () => {
    const loadCheck = loaderOf({
      hang: () => new Promise(() => {}),
      quick: async () => ({ status: 'ok', summary: 'fine' }),
    });
    const started = Date.now();
    const results = await runChecks(
      [fakeCheck('stuck', 'hang', { timeoutSeconds: 1 }), fakeCheck('fast', 'quick')],
      { timezone, loadCheck },
    );
    const elapsed = Date.now() - started;
    expect(results.map((r) => [r.check, r.status])).toEqual([
      ['stuck', 'unknown'],
      ['fast', 'ok'],
    ]);
    expect(results[0]?.summary).toBe('timed out after 1s');
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2000);
  });

  it('passes an AbortSignal that fires at the deadline', async () => {
    let aborted = false;
    const loadCheck = loaderOf({
      wait: async (_config, { signal }) => {
        await sleep(10_000, undefined, { signal }).catch(() => {
          aborted = signal.aborted;
        });
        return { status: 'ok', summary: 'late' };
      },
    });
    const [result] = await runChecks([fakeCheck('w', 'wait', { timeoutSeconds: 0.2 })], {
      timezone,
      loadCheck,
    });
    expect(result?.status).toBe('unknown');
    expect(aborted).toBe(true);
  });

  it('stops every check when the run budget runs out', async () => {
    const loadCheck = loaderOf({ hang: () => new Promise(() => {}) });
    const results = await runChecks([fakeCheck('a', 'hang'), fakeCheck('b', 'hang')], {
      timezone,
      loadCheck,
      signal: AbortSignal.timeout(200),
    });
    expect(results.every((r) => r.status === 'unknown')).toBe(true);
    expect(results[0]?.summary).toMatch(/time budget ran out/);
  });

  it('turns a throwing plugin, a malformed result and an unknown type into unknown', async () => {
    const loadCheck = loaderOf({
      boom: async () => {
        throw new Error('connection refused');
      },
      garbage: async () => ({ status: 'fine' }) as never,
    });
    const results = await runChecks(
      [fakeCheck('a', 'boom'), fakeCheck('b', 'garbage'), fakeCheck('c', 'missing')],
      { timezone, loadCheck },
    );
    expect(results.map((r) => r.status)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(results[0]?.summary).toBe('check failed: connection refused');
    expect(results[1]?.summary).toBe('check returned a malformed result');
    expect(results[2]?.summary).toMatch(/unknown check type "missing"/);
  });

  it('never runs more checks at once than the cap', async () => {
    let inFlight = 0;
    let peak = 0;
    const loadCheck = loaderOf({
      slow: async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep(20);
        inFlight--;
        return { status: 'ok', summary: 'ok' };
      },
    });
    const checks = Array.from({ length: 40 }, (_, i) => fakeCheck(`c${i}`, 'slow'));
    const started = Date.now();
    const results = await runChecks(checks, { timezone, loadCheck, concurrency: 8 });
    expect(results).toHaveLength(40);
    expect(peak).toBe(8);
    // 40 checks of 20 ms, 8 at a time: 5 waves, not 40 sequential sleeps.
    expect(Date.now() - started).toBeLessThan(40 * 20);
  });

  it('resolves secrets for the check and scrubs them from what it reports', async () => {
    const loadCheck = loaderOf({
      echo: async (config: { url: string }) => ({
        status: 'critical',
        summary: `cannot log in to ${config.url}`,
        details: { token: 's3cr3t-value', url: config.url },
      }),
    });
    const [result] = await runChecks(
      [fakeCheck('db', 'echo', { url: 'postgres://app:${secret:erp/pg}@db:5432/erp' })],
      {
        timezone,
        loadCheck,
        secrets: { resolve: async (id) => (id === 'erp/pg' ? 's3cr3t-value' : '') },
      },
    );
    expect(result?.summary).toBe('cannot log in to postgres://app:***@db:5432/erp');
    expect(JSON.stringify(result?.details)).not.toContain('s3cr3t');
  });

  it('makes a check unknown when its secret cannot be resolved', async () => {
    const loadCheck = loaderOf({ echo: async () => ({ status: 'ok', summary: 'ran' }) });
    const [result] = await runChecks([fakeCheck('db', 'echo', { url: '${secret:missing}' })], {
      timezone,
      loadCheck,
      secrets: {
        resolve: async () => {
          throw new Error('ResourceNotFoundException');
        },
      },
    });
    expect(result?.status).toBe('unknown');
    expect(result?.summary).toMatch(/secret "missing" could not be resolved: ResourceNotFound/);
  });

  it('bounds huge details', async () => {
    const loadCheck = loaderOf({
      big: async () => ({
        status: 'warning',
        summary: 'many',
        details: {
          items: Array.from({ length: 10_000 }, (_, i) => ({ i, text: 'x'.repeat(100) })),
        },
      }),
    });
    const [result] = await runChecks([fakeCheck('b', 'big')], { timezone, loadCheck });
    expect(Buffer.byteLength(JSON.stringify(result?.details))).toBeLessThanOrEqual(32 * 1024);
    expect(result?.status).toBe('warning');
  });
});
