import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/config/load-config.ts';
import { ConfigError } from '../../../lib/core/errors.ts';

function problems(fields: Record<string, unknown>): string[] {
  try {
    parseConfig(
      {
        checks: [
          { id: 'p', type: 'prometheus', url: 'http://prometheus:9090', query: 'up', ...fields },
        ],
      },
      { env: {} },
    );
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

describe('prometheus config', () => {
  it('defaults op to > and noData to unknown', () => {
    const config = parseConfig(
      {
        checks: [
          { id: 'p', type: 'prometheus', url: 'http://prometheus:9090', query: 'up', critical: 1 },
        ],
      },
      { env: {} },
    );
    expect(config.checks[0]).toMatchObject({ op: '>', noData: 'unknown', listLimit: 10 });
  });

  it('needs a threshold or expectSeries', () => {
    expect(problems({})).toEqual([
      expect.stringMatching(/^checks\[0\]\.critical: set warning or critical \(or expectSeries\)/),
    ]);
    expect(problems({ expectSeries: { min: 13 } })).toEqual([]);
    expect(problems({ expectSeries: {} })).toEqual([
      expect.stringMatching(/^checks\[0\]\.expectSeries: set min or max/),
    ]);
    expect(problems({ expectSeries: { min: 5, max: 3 } })).toEqual([
      expect.stringMatching(
        /^checks\[0\]\.expectSeries\.min: must not exceed expectSeries\.max \(3\)/,
      ),
    ]);
  });

  it('recover sits on the healthy side of the first threshold, and needs a direction', () => {
    expect(problems({ critical: 5000, recover: 1000 })).toEqual([]);
    expect(problems({ warning: 20, critical: 50, recover: 30 })).toEqual([
      expect.stringMatching(/^checks\[0\]\.recover: must be at most warning \(20\) for op >/),
    ]);
    expect(problems({ op: '<', critical: 1, recover: 0.5 })).toEqual([
      expect.stringMatching(/^checks\[0\]\.recover: must be at least critical \(1\) for op </),
    ]);
    expect(problems({ op: '==', critical: 0, recover: 1 })).toEqual([
      expect.stringMatching(/^checks\[0\]\.recover: needs a direction/),
    ]);
  });

  it('checks url and series template, never repeating the URL', () => {
    const found = problems({
      url: 'ftp://monitor:pw-77@prometheus',
      critical: 1,
      series: '{{consumergroup}/{{topic}}',
    });
    expect(found).toEqual([
      expect.stringMatching(/^checks\[0\]\.url: must start with http:\/\/ or https:\/\//),
      expect.stringMatching(/^checks\[0\]\.series: placeholders are \{\{label\}\}/),
    ]);
    expect(found.join('\n')).not.toContain('pw-77');
  });

  it('checks auth and header names', () => {
    expect(
      problems({
        critical: 1,
        auth: { awsSigV4: { region: 'Singapore' } },
        headers: { 'bad header': 'x' },
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^checks\[0\]\.auth\.awsSigV4\.region: an AWS region such as ap-southeast-1/,
        ),
        expect.stringMatching(/^checks\[0\]\.headers/),
      ]),
    );
  });
});

describe('prometheus IAM grants', () => {
  it('declares aps:QueryMetrics on the Amazon Managed Prometheus workspace a SigV4 check queries', async () => {
    const { prometheusCheck } = await import('../../../lib/checks/prometheus/index.ts');
    const grants = (fields: Record<string, unknown>) =>
      prometheusCheck.grants?.(
        prometheusCheck.schema.parse({
          id: 'p',
          type: 'prometheus',
          query: 'up',
          critical: 1,
          ...fields,
        }) as never,
      );
    expect(
      grants({
        url: 'https://aps-workspaces.ap-southeast-1.amazonaws.com/workspaces/ws-0123-abcd/',
        auth: { awsSigV4: { region: 'ap-southeast-1' } },
      }),
    ).toEqual([
      {
        actions: ['aps:QueryMetrics'],
        resources: [
          { service: 'aps', region: 'ap-southeast-1', resource: 'workspace/ws-0123-abcd' },
        ],
      },
    ]);
    expect(grants({ url: 'http://prometheus:9090', auth: { bearer: 't' } })).toEqual([]);
  });
});
