import { describe, expect, it } from 'vitest';
import type { Notifier } from '../../lib/alerting/notifier.ts';
import { parseConfig } from '../../lib/config/load-config.ts';
import { executeRun } from '../../lib/run/execute-run.ts';
import { startDynalite } from '../support/dynalite.ts';
import { loaderOf } from '../support/fake-checks.ts';

const dynamo = await startDynalite();

describe('executeRun under a run budget', () => {
  it('still records results and alerts after the checks budget ran out', async () => {
    const { store } = await dynamo.newStore();
    const config = parseConfig(
      { checks: [{ id: 'stuck', type: 'disk', paths: ['/'], severity: 'P1' }] },
      { env: {} },
    );
    const delivered: string[] = [];
    const notifier: Notifier = {
      channel: 'test',
      accepts: () => true,
      deliver: async (n) => {
        delivered.push(`${n.event}:${n.check}`);
      },
    } as Notifier;
    const report = await executeRun(
      config,
      {},
      {
        loadCheck: loaderOf({ disk: () => new Promise(() => {}) }),
        signal: AbortSignal.timeout(300),
        alerting: { store, notifiers: [notifier] },
      },
    );
    expect(report.results[0]?.status).toBe('unknown');
    expect(report.results[0]?.summary).toMatch(/time budget ran out/);
    const states = await store.getStates(['stuck']);
    expect(states.get('stuck')?.lastResult?.status).toBe('unknown');
    expect(delivered).toEqual(['trigger:stuck']);
  });

  it('a budget that ends mid-suite skips the checks not started: no alert state, reported, first next time', async () => {
    const { store } = await dynamo.newStore();
    const ids = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
    const config = parseConfig(
      {
        defaults: { concurrency: 1 },
        checks: ids.map((id) => ({ id, type: 'disk', paths: ['/'], severity: 'P1' })),
      },
      { env: {} },
    );
    const delivered: string[] = [];
    const notifier = {
      channel: 'test',
      accepts: () => true,
      deliver: async (n: { event: string; check: string }) => {
        delivered.push(`${n.event}:${n.check}`);
      },
    } as unknown as Notifier;
    const started: string[] = [];
    const loadCheck = loaderOf({
      disk: async (cfg: never) => {
        const id = (cfg as { id: string }).id;
        started.push(id);
        return { status: 'critical', summary: `${id} broken` };
      },
    });
    // The budget ends right after the second result: one at a time, so four never start.
    const budget = new AbortController();
    const first = await executeRun(
      config,
      {},
      {
        loadCheck,
        signal: budget.signal,
        onResult: () => {
          if (started.length === 2) budget.abort(new Error('budget over'));
        },
        alerting: { store, notifiers: [notifier] },
      },
    );
    const ran = first.results.filter((r) => !r.skipped).map((r) => r.check);
    const skipped = first.skipped?.map((s) => s.check) ?? [];
    expect(ran).toEqual(['a1', 'a2']);
    expect(skipped).toEqual(['a3', 'a4', 'a5', 'a6']);
    expect(new Set([...ran, ...skipped])).toEqual(new Set(ids));
    expect(first.skipped?.[0]?.reason).toMatch(
      /not run: the run's time budget ended before it started/,
    );
    expect(first.status).toBe('critical');
    expect(first.results.find((r) => r.check === 'a3')).toMatchObject({
      status: 'unknown',
      skipped: true,
    });
    // Only checks that ran alerted; the skipped ones have no alert state and no history.
    expect(delivered.sort()).toEqual(ran.map((id) => `trigger:${id}`).sort());
    const states = await store.getStates(ids);
    for (const id of skipped) {
      expect(states.get(id)?.lastResult).toBeUndefined();
      expect(states.get(id)?.alert.alertedStatus).toBe('ok');
      expect(states.get(id)?.skipped).toBeDefined();
      expect(await store.history(id)).toEqual([]);
    }
    // The next run starts with what was skipped.
    started.length = 0;
    const second = await executeRun(
      config,
      {},
      {
        loadCheck,
        alerting: { store, notifiers: [notifier] },
      },
    );
    expect(started).toEqual(['a3', 'a4', 'a5', 'a6', 'a1', 'a2']);
    expect(second.skipped).toBeUndefined();
    expect((await store.getStates(skipped)).get(skipped[0] as string)?.skipped).toBeUndefined();
    expect(delivered.sort()).toEqual(ids.map((id) => `trigger:${id}`).sort());
  });
});
