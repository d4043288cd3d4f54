import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/load-config.ts';
import { EnvSecretResolver } from '../../lib/config/references.ts';
import type { Status } from '../../lib/core/status.ts';
import { createNotifiers } from '../../lib/notify/registry.ts';
import { executeRun } from '../../lib/run/execute-run.ts';
import { tableLayout } from '../../lib/store/table-layout.ts';
import { startDynalite } from '../support/dynalite.ts';
import { loaderOf } from '../support/fake-checks.ts';
import { startFakePagerDuty } from '../support/fake-pagerduty.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const dynamo = await startDynalite();
const tempDir = useTempDirs();
const routingKey = 'S0AKR0UT1NGK3Y000000000000000001';

/**
 * The acceptance soak, in-process (executeRun as the CLI and the runner call it): a
 * flapping check, PagerDuty answering 500 for 200 runs, then recovering.
 */
describe('flapping check, PagerDuty down for 200 runs, then up', { timeout: 300_000 }, () => {
  it("every run exits with the check's status, the STATE stays small, PagerDuty ends with the truth", async () => {
    const { store, tableName } = await dynamo.newStore();
    const pd = await startFakePagerDuty();
    try {
      const config = parseConfig(
        {
          suites: [{ id: 'pods', schedule: 'rate(15 minutes)', checks: ['flappy'] }],
          checks: [{ id: 'flappy', type: 'disk', paths: ['/'], severity: 'P1', remindEvery: '1m' }],
          notifications: {
            email: ['oncall@example.vn'],
            pagerduty: { routingKey: '${secret:pd}', url: pd.url },
          },
        },
        { env: {} },
      );
      const notifiers = await createNotifiers(config.notifications, {
        target: 'local',
        secrets: new EnvSecretResolver({ HEALTHCHECK_SECRET_PD: routingKey }),
        logger: { info() {}, warn() {}, error() {} },
        stateDir: await tempDir(),
        print: () => {},
        timeZone: 'UTC',
        // Two quick attempts per delivery, unpaced: the outage is the point, not the backoff or
        // the rate limit (test/notify/pagerduty-rate.test.ts).
        pagerDuty: { attempts: 2, baseDelayMs: 1, rate: { limit: 1_000_000, intervalMs: 1000 } },
      });
      let status: Status = 'ok';
      const loadCheck = loaderOf({
        disk: async () => ({
          status,
          summary: `flappy is ${status}`,
          // A large finding on every run: the outbox must not grow with it.
          details: { pods: Array.from({ length: 40 }, (_, i) => `pod-${i} ${'x'.repeat(60)}`) },
        }),
      });
      const t0 = Date.parse('2026-12-01T00:00:00Z');
      const runAt = async (n: number) => {
        const at = new Date(t0 + n * 15 * 60_000);
        return executeRun(
          config,
          { suites: ['pods'] },
          {
            loadCheck,
            now: () => at,
            alerting: { store, notifiers, scheduledTime: at },
          },
        );
      };
      const itemBytes = async () => {
        const raw = await dynamo.client.send(
          new GetItemCommand({
            TableName: tableName,
            Key: {
              [tableLayout.partitionKey]: { S: 'CHECK#flappy' },
              [tableLayout.sortKey]: { S: tableLayout.stateSortKey },
            },
          }),
        );
        return Buffer.byteLength(JSON.stringify(raw.Item));
      };

      pd.script.push(...Array.from({ length: 100_000 }, () => 500));
      let largest = 0;
      for (let run = 0; run < 200; run++) {
        status = run % 3 === 2 ? 'ok' : run % 3 === 1 ? 'warning' : 'critical';
        const report = await runAt(run);
        // The run's status is the check's: a delivery problem never becomes a crash (exit 70).
        expect(report.status).toBe(status);
        largest = Math.max(largest, await itemBytes());
        const outbox = (await store.getStates(['flappy'])).get('flappy')?.alert.outbox ?? [];
        expect(outbox.length).toBeLessThanOrEqual(2);
      }
      expect(largest).toBeLessThan(64 * 1024);
      expect(pd.accepted).toEqual([]);
      // One set of attempts per run at most: the outage is not hammered.
      expect(pd.received.length).toBeLessThanOrEqual(200 * 2);

      pd.script.length = 0;
      const openIncidents = () => {
        const open = new Map<string, boolean>();
        for (const event of pd.accepted) {
          open.set(String(event['dedup_key']), event['event_action'] !== 'resolve');
        }
        return [...open.values()].filter(Boolean).length;
      };
      // Recovered while the check fails: exactly one open incident.
      status = 'critical';
      expect((await runAt(200)).status).toBe('critical');
      expect(openIncidents()).toBe(1);
      const state = (await store.getStates(['flappy'])).get('flappy');
      expect(state?.alert.outbox.filter((e) => e.channels.includes('pagerduty'))).toEqual([]);
      // Then the check is fixed: none open, and nothing stale is left to deliver later.
      status = 'ok';
      expect((await runAt(201)).status).toBe('ok');
      expect(openIncidents()).toBe(0);
      expect((await runAt(202)).alerts).toEqual([]);
      expect(pd.accepted.map((e) => e['event_action'])).toEqual(['trigger', 'resolve']);
      console.info(
        `soak: largest STATE item ${largest} bytes over 200 runs; PagerDuty got ${pd.received.length - 2} requests during the outage`,
      );
    } finally {
      await pd.close();
    }
  });
});
