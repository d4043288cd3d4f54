import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/prometheus/run.ts';
import { parseConfig } from '../../../lib/config/load-config.ts';
import { type FakePrometheus, startFakePrometheus } from '../../support/fake-prometheus.ts';

// A config with Kubernetes checks loads @kubernetes/client-node, whose npm undici replaces the
// dispatcher behind Node's fetch; HTTP-based checks in the same run must keep working.
let prometheus: FakePrometheus;

beforeAll(async () => {
  await import('@kubernetes/client-node');
  prometheus = await startFakePrometheus([
    { labels: { __name__: 'erp_queue_depth', queue: 'orders' }, value: 42 },
  ]);
});

afterAll(async () => {
  await prometheus?.close();
});

describe('prometheus check in a process that loaded the Kubernetes client', () => {
  it('queries through the replaced dispatcher', async () => {
    expect(
      (globalThis as Record<symbol, object>)[Symbol.for('undici.globalDispatcher.1')]?.constructor
        .name,
    ).toBe('Dispatcher1Wrapper');
    const config = parseConfig(
      {
        checks: [
          {
            id: 'q',
            type: 'prometheus',
            url: prometheus.url,
            query: 'erp_queue_depth',
            warning: 10,
          },
        ],
      },
      { env: {} },
    ).checks[0] as Parameters<typeof run>[0];
    const outcome = await run(config, {
      signal: AbortSignal.timeout(10_000),
      now: new Date(),
      timezone: 'UTC',
    });
    expect(outcome).toMatchObject({
      status: 'warning',
      summary: '42 > 10: erp_queue_depth{queue="orders"}',
    });
  });
});
