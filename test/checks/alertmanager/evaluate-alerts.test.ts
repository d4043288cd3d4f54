import { describe, expect, it } from 'vitest';
import { defaultStatusBySeverity } from '../../../lib/checks/alertmanager/config.ts';
import {
  evaluateAlerts,
  type GettableAlert,
} from '../../../lib/checks/alertmanager/evaluate-alerts.ts';
import { parseMatcher, splitMatchers } from '../../../lib/checks/alertmanager/matchers.ts';

const now = new Date('2026-12-01T01:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
const alert = (
  labels: Record<string, string>,
  minutes: number,
  status?: GettableAlert['status'],
): GettableAlert => ({
  labels,
  startsAt: ago(minutes),
  ...(status ? { status } : {}),
});

const policy = {
  ignoreAlertnames: ['Watchdog', 'InfoInhibitor'],
  minFiringMinutes: 0,
  severityLabel: 'severity',
  statusBySeverity: defaultStatusBySeverity,
  listLimit: 10,
  matchers: [] as string[],
};

describe('evaluateAlerts', () => {
  it('lists what is firing, worst and longest first', () => {
    const outcome = evaluateAlerts(
      [
        alert({ alertname: 'DiskAlmostFull', severity: 'warning', instance: 'node-a' }, 30),
        alert({ alertname: 'KafkaConsumerLagHigh', severity: 'critical', topic: 'orders' }, 130),
        alert({ alertname: 'ErpApiDown', severity: 'P1', service: 'erp-api' }, 5),
        alert({ alertname: 'Watchdog', severity: 'none' }, 600),
      ],
      policy,
      now,
    );
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toBe(
      '3 alerts firing: KafkaConsumerLagHigh{topic=orders} critical for 2h10m, ErpApiDown{service=erp-api} P1 for 5m, DiskAlmostFull{instance=node-a} warning for 30m',
    );
    expect(outcome.details).toMatchObject({
      firing: 3,
      returned: 4,
      ignored: 1,
      bySeverity: { critical: 1, P1: 1, warning: 1 },
    });
  });

  it.each([
    ['warning', 'warning'],
    ['P3', 'warning'],
    ['p2', 'critical'],
    ['HIGH', 'critical'],
    ['info', 'warning'],
  ])('maps severity %s to %s by default (unmapped: warning)', (severity, status) => {
    expect(evaluateAlerts([alert({ alertname: 'A', severity }, 10)], policy, now).status).toBe(
      status,
    );
  });

  it('lets statusBySeverity override, and ok ignores', () => {
    const custom = {
      ...policy,
      statusBySeverity: {
        ...defaultStatusBySeverity,
        info: 'ok' as const,
        warning: 'critical' as const,
      },
    };
    expect(
      evaluateAlerts([alert({ alertname: 'A', severity: 'info' }, 10)], custom, now),
    ).toMatchObject({
      status: 'ok',
      summary: 'no alerts firing (1 ignored)',
    });
    expect(
      evaluateAlerts([alert({ alertname: 'A', severity: 'warning' }, 10)], custom, now).status,
    ).toBe('critical');
  });

  it('ignores alerts younger than minFiringMinutes', () => {
    const outcome = evaluateAlerts(
      [alert({ alertname: 'Flapping', severity: 'critical' }, 3)],
      { ...policy, minFiringMinutes: 10, matchers: ['severity=~"critical|P1|P2"'] },
      now,
    );
    expect(outcome).toMatchObject({
      status: 'ok',
      summary: 'no alerts firing matching severity=~"critical|P1|P2" (1 younger than 10 min)',
    });
  });

  it('says the pipeline is silent when the watchdog is missing', () => {
    const silent = evaluateAlerts([], policy, now, { name: 'Watchdog', firing: false });
    expect(silent.status).toBe('critical');
    expect(silent.summary).toMatch(/^alerting pipeline silent: Watchdog is not firing/);
    expect(evaluateAlerts([], policy, now, { name: 'Watchdog', firing: true }).status).toBe('ok');
  });

  it('marks silenced and inhibited alerts when they are included, and caps the list', () => {
    const alerts = [
      alert({ alertname: 'Batch', severity: 'P2' }, 200, {
        state: 'suppressed',
        silencedBy: ['s1'],
      }),
      alert({ alertname: 'NodeDown', severity: 'critical', node: 'n1' }, 100, {
        state: 'suppressed',
        inhibitedBy: ['f1'],
      }),
      ...Array.from({ length: 4 }, (_, i) =>
        alert({ alertname: `Other${i}`, severity: 'warning' }, 10),
      ),
    ];
    const outcome = evaluateAlerts(alerts, { ...policy, listLimit: 2 }, now);
    expect(outcome.summary).toBe(
      '6 alerts firing: Batch P2 for 3h20m (silenced), NodeDown{node=n1} critical for 1h40m (inhibited), Other0 warning for 10m, and 3 more',
    );
    expect(outcome.details?.['alerts']).toHaveLength(2);
  });
});

describe('matchers', () => {
  it('parses the forms amtool and the API take', () => {
    expect(parseMatcher('severity=~"critical|P1|P2"')).toEqual({
      name: 'severity',
      op: '=~',
      value: 'critical|P1|P2',
    });
    expect(parseMatcher('env!=staging')).toEqual({ name: 'env', op: '!=', value: 'staging' });
    expect(splitMatchers('{team="erp", severity=~"a,b"}')).toEqual([
      'team="erp"',
      'severity=~"a,b"',
    ]);
    expect(parseMatcher('severity')).toMatch(/is not a matcher/);
    expect(parseMatcher('severity=~"(critical"')).toMatch(/bad regex/);
    expect(parseMatcher('team="erp')).toMatch(/unbalanced quotes/);
  });
});
