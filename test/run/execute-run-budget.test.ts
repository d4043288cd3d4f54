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
});
