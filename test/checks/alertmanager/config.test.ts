import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/config/load-config.ts';
import { httpProblems } from '../http/http-config.ts';

const problems = (fields: Record<string, unknown>) => httpProblems(fields, 'alertmanager');

describe('alertmanager config', () => {
  it('applies the defaults', () => {
    const [check] = parseConfig(
      { checks: [{ id: 'am', type: 'alertmanager', url: 'http://alertmanager:9093' }] },
      { env: {} },
    ).checks;
    expect(check).toMatchObject({
      includeSilenced: false,
      includeInhibited: false,
      ignoreAlertnames: ['Watchdog', 'InfoInhibitor'],
      minFiringMinutes: 0,
      severityLabel: 'severity',
      listLimit: 10,
    });
  });

  it('rejects API v1 URLs, bad matchers and bad statuses with the field path', () => {
    expect(
      problems({
        url: 'http://localhost:9093/api/v1/alerts',
        matchers: ['severity=~"critical|P1"', 'severity', '{team="erp", env=~"(prod"}'],
        statusBySeverity: { info: 'fine' },
      }),
    ).toEqual([
      'checks[0].url: Alertmanager removed API v1 in 0.27; give the base URL (http://alertmanager:9093): the check reads /api/v2/alerts',
      'checks[0].matchers[1]: "severity" is not a matcher like severity=~"critical|P1" or team="erp"',
      'checks[0].matchers[2]: "env=~"(prod"": bad regex: /^(?:(prod)$/: Unterminated group',
      'checks[0].statusBySeverity.info: expected one of "critical", "warning", "ok"',
    ]);
  });

  it('accepts a single matcher string and the watchdog forms', () => {
    expect(
      problems({
        url: 'https://am.internal',
        matchers: 'severity="critical"',
        expectWatchdog: true,
      }),
    ).toEqual([]);
    expect(problems({ url: 'https://am.internal', expectWatchdog: 'DeadMansSwitch' })).toEqual([]);
  });
});
