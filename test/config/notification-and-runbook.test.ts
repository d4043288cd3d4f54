import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../lib/config/load-config.ts';
import { ConfigError } from '../../lib/core/errors.ts';

const config = (emails: string) => `
checks: [{id: root-disk, type: disk, paths: [/]}]
notifications:
  email:
${emails}`;

function problemsOf(text: string): readonly string[] {
  try {
    parseConfigText(text, { env: {} });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
}

describe('notifications.email', () => {
  it('rejects repeated and case-variant addresses at their own index, with the first one named', () => {
    const problems = problemsOf(
      config(
        '    - oncall@example.vn\n    - sre@example.vn\n    - OnCall@Example.VN\n    - sre@example.vn\n',
      ),
    );
    expect(problems).toEqual([
      'notifications.email[2]: same address as notifications.email[0] in other letter case (addresses are compared ignoring case) (line 7)',
      'notifications.email[3]: duplicate address (already notifications.email[1]) (line 8)',
    ]);
  });

  it('accepts distinct addresses', () => {
    const parsed = parseConfigText(config('    - oncall@example.vn\n    - sre@example.vn\n'), {
      env: {},
    });
    expect(parsed.notifications.email).toEqual(['oncall@example.vn', 'sre@example.vn']);
  });

  it('takes an address with the severities it gets, and names a wrong one by its path', () => {
    const parsed = parseConfigText(
      config('    - oncall@example.vn\n    - { address: cto@example.vn, severities: [P1] }\n'),
      { env: {} },
    );
    expect(parsed.notifications.email).toEqual([
      'oncall@example.vn',
      { address: 'cto@example.vn', severities: ['P1'] },
    ]);
    expect(
      problemsOf(config('    - { address: cto@example.vn, severities: [P0] }\n')).join('\n'),
    ).toMatch(/notifications\.email\[0\]/);
    // The same mailbox twice, once as an entry with severities: still a duplicate.
    expect(
      problemsOf(
        config('    - cto@example.vn\n    - { address: CTO@example.vn, severities: [P1] }\n'),
      ),
    ).toEqual([
      'notifications.email[1]: same address as notifications.email[0] in other letter case (addresses are compared ignoring case) (line 6)',
    ]);
  });
});

describe('runbook', () => {
  it('is bounded, since it goes into every alert', () => {
    const check = (runbook: string) =>
      `checks: [{id: root-disk, type: disk, paths: [/], runbook: "${runbook}"}]\n`;
    expect(problemsOf(check('x'.repeat(2001)))).toEqual([
      'checks[0].runbook: at most 2000 characters: it goes into every alert, so link a longer runbook (line 1)',
    ]);
    expect(problemsOf(check('x'.repeat(2000)))).toEqual([]);
  });
});
