import { describe, expect, it } from 'vitest';
import { runBudgetMs } from '../../functions/runner/run-budget.ts';
import { createSuiteRunner } from '../../functions/runner/suite-runner.ts';
import type { Notifier } from '../../lib/alerting/notifier.ts';
import { parseConfigText } from '../../lib/config/load-config.ts';
import { DynamoSuiteRunStore } from '../../lib/store/dynamodb-suite-runs.ts';
import { startDynalite } from '../support/dynalite.ts';

const config = `
suites:
  - id: morning
    schedule: "cron(0 8 * * ? *)"
    checks: [api]
checks:
  - id: api
    type: disk
    paths: [/]
    severity: P1
`;

/**
 * The notifiers outlive an invocation, so the runner tells them per invocation when their
 * rate-limited deliveries must stop waiting: after the checks' budget, before recording ends.
 */
describe('the runner sets the delivery deadline for each invocation', () => {
  it('for a suite run and for a delivery pass, inside the time left for recording', async () => {
    const dynamo = await startDynalite();
    const { store, tableName } = await dynamo.newStore();
    let deadline: number | undefined;
    const seenAtDelivery: (number | undefined)[] = [];
    // Down on the first delivery, so the delivery pass has something to send.
    let up = false;
    const pager: Notifier = {
      channel: 'pagerduty',
      accepts: () => true,
      async deliver() {
        seenAtDelivery.push(deadline);
        if (!up) throw new Error('PagerDuty answered 503');
      },
    };
    const run = createSuiteRunner({
      suiteRuns: new DynamoSuiteRunStore({ client: dynamo.client, tableName }),
      config: () => parseConfigText(config, { env: {} }),
      store,
      notifiers: async () => [pager],
      secrets: { resolve: async () => '' },
      loadCheck: async () => ({ run: async () => ({ status: 'critical', summary: 'down' }) }),
      logger: { info() {}, warn() {}, error() {} },
      publishMetrics() {},
      setDeliveryDeadline: (epochMs) => {
        deadline = epochMs;
      },
    });
    const remainingMs = 30_000;
    const started = Date.now();
    await run({ suite: 'morning', scheduledTime: '2026-12-01T01:00:00Z' }, remainingMs);
    up = true;
    const passStarted = Date.now();
    const pass = await run({ deliver: 'pending' }, remainingMs);
    expect(pass).toMatchObject({ delivered: 1, pending: 0 });
    expect(seenAtDelivery).toHaveLength(2);
    const [inRun, inPass] = seenAtDelivery as [number, number];
    // After the checks' budget ends (24 s of 30 s), before recording ends (29 s).
    expect(inRun).toBeGreaterThan(started + runBudgetMs(remainingMs));
    expect(inRun).toBeLessThan(started + remainingMs - 1_000);
    expect(inPass).toBeGreaterThan(passStarted);
    expect(inPass).toBeLessThan(Date.now() + remainingMs - 1_000);
  });
});
