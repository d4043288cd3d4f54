import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/config/load-config.ts';
import { ConfigError } from '../../../lib/core/errors.ts';

function problems(fields: Record<string, unknown>): string[] {
  try {
    parseConfig(
      {
        checks: [
          {
            id: 'q',
            type: 'sql',
            engine: 'postgres',
            url: 'postgres://monitor:hunter2-secret@db:5432/erp',
            ...fields,
          },
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

describe('sql config', () => {
  it('accepts the runbook form and applies defaults', () => {
    const config = parseConfig(
      {
        checks: [
          {
            id: 'logins',
            type: 'sql',
            engine: 'postgres',
            url: '${secret:erp/sql-url}',
            query:
              'select email, count(*) from auth.login_attempts where created_at > now() - make_interval(days => $1) group by email',
            params: [7],
            warning: 0,
          },
        ],
      },
      { env: {} },
    );
    expect(config.checks[0]).toMatchObject({
      measure: 'rows',
      op: '>',
      listLimit: 10,
      params: [7],
    });
  });

  it('names the field of each mistake, never repeating the URL', () => {
    const found = problems({
      engine: 'mysql',
      query: 'SELECT 1; DELETE FROM stock',
      params: [1],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^checks\[0\]\.url: must start with mysql:\/\/ or mariadb:\/\/ for engine mysql/,
        ),
        expect.stringMatching(
          /^checks\[0\]\.query: must be one statement: remove what follows the first ";"/,
        ),
        expect.stringMatching(
          /^checks\[0\]\.params: the query has 0 \? placeholders but params has 1 values/,
        ),
        expect.stringMatching(/^checks\[0\]\.critical: set warning or critical \(or growth\)/),
      ]),
    );
    expect(found.join('\n')).not.toContain('hunter2-secret');
  });

  it('rejects a warning past the critical one in the bad direction', () => {
    expect(problems({ query: 'select 1', op: '<', warning: 5, critical: 10 })).toEqual([
      expect.stringMatching(/^checks\[0\]\.warning: must be at least critical \(10\) for op </),
    ]);
    expect(problems({ query: 'select 1', op: '<', warning: 10, critical: 5 })).toEqual([]);
  });

  it('growth needs a limit, in order; ca and tls.ca are exclusive', () => {
    expect(problems({ query: 'select 1', growth: {} })).toEqual([
      expect.stringMatching(/^checks\[0\]\.growth: set warningPercent or criticalPercent/),
    ]);
    expect(
      problems({ query: 'select 1', growth: { warningPercent: 50, criticalPercent: 20 } }),
    ).toEqual([expect.stringMatching(/^checks\[0\]\.growth\.warningPercent: must not exceed/)]);
    expect(
      problems({ query: 'select 1', warning: 0, ca: '/etc/ca.pem', tls: { ca: '/etc/other.pem' } }),
    ).toEqual([expect.stringMatching(/^checks\[0\]\.ca: set either ca or tls\.ca, not both/)]);
  });
});
