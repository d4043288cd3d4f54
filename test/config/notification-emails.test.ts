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
});
