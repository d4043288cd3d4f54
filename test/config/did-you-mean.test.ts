import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../lib/config/load-config.ts';
import { ConfigError } from '../../lib/core/errors.ts';
import { closestMatch, editDistance } from '../../lib/shared/closest-match.ts';

function problems(yaml: string): readonly string[] {
  try {
    parseConfigText(yaml, { env: false });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('did you mean', () => {
  it('suggests the key a typo was meant to be, per check type and section', () => {
    const found = problems(`timezone: Asia/Ho_Chi_Minh
defaults:
  timeoutSecond: 5
checks:
  - id: a
    type: disk
    paths: [/]
    warningPercnt: 3
  - id: c
    type: backup
    location: file:///x/{yyyyMMdd}
    sizeDeviaton: 0.5
    zzzz: 1
notification:
  email: []
`);
    expect(found).toEqual([
      'defaults.timeoutSecond: unknown key; did you mean "timeoutSeconds"? (line 3)',
      'checks[0].warningPercnt: unknown key; did you mean "warningPercent"? (line 8)',
      'checks[1].sizeDeviaton: unknown key; did you mean "sizeDeviation"? (line 12)',
      'checks[1].zzzz: unknown key (line 13)',
      'notification: unknown key; did you mean "notifications"? (line 14)',
    ]);
  });

  it('corrects a mistyped check type, or lists the types when nothing is close', () => {
    const found = problems(`checks:
  - id: b
    type: tls-certifcate
    host: x
  - id: d
    type: ping
`);
    expect(found[0]).toBe(
      'checks[0].type: unknown type "tls-certifcate"; did you mean "tls-certificate"? (line 3)',
    );
    expect(found[1]).toMatch(/^checks\[1\]\.type: unknown type "ping"; known types: .*disk/);
  });

  it('measures transpositions as one edit and stays quiet for unrelated words', () => {
    expect(editDistance('chekcs', 'checks')).toBe(1);
    expect(closestMatch('chekcs', ['checks', 'suites'])).toBe('checks');
    expect(closestMatch('zzzz', ['checks', 'suites'])).toBeUndefined();
    expect(closestMatch('erp-cer', ['erp-cert', 'erp-db'])).toBe('erp-cert');
  });
});
