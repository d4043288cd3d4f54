import { describe, expect, it } from 'vitest';
import { packageUse } from '../../../lib/checks/runtime-packages.ts';
import { parseConfig } from '../../../lib/config/load-config.ts';
import { httpConfig, httpProblems } from './http-config.ts';

const url = 'https://erp.company.vn/api/v1/health';

describe('http config', () => {
  it('applies the defaults', () => {
    expect(httpConfig({ url })).toMatchObject({
      url,
      followRedirects: true,
      maxBodyBytes: 1024 * 1024,
      insecure: false,
    });
  });

  it('accepts the documented assertion forms', () => {
    expect(
      httpProblems({
        url,
        assertions: [
          { path: '$.status', equals: 'UP' },
          { path: '$.slow_consumers', equals: 0, severity: 'warning' },
          { path: '$.jobs[*].state', in: ['RUNNING', 'FINISHED'] },
          { path: '$.nodes[*].role', equals: 'leader', match: 'some' },
          { path: '$.nodes[*].role', equals: 'leader', some: true },
          {
            path: "$.jobs[?(@.state != 'RUNNING')]",
            notExists: true,
            describe: '{@.name} {@.state}',
          },
          { path: '$.version', matches: '^2\\.' },
          { path: '$.errors', lengthLessThan: 1 },
          { path: '$.uptime', exists: null },
        ],
      }),
    ).toEqual([]);
  });

  it('rejects bad assertions with the field path', () => {
    expect(
      httpProblems({
        url,
        assertions: [
          { path: '$.status' },
          { path: '$.status', equals: 'UP', in: ['UP'] },
          { path: '$.jobs[', equals: 'x' },
          { path: 'status', equals: 'UP' },
          { path: '$.jobs[?(@.state == )]', exists: true },
          { path: '$.v', matches: '([a-z' },
          { path: '$.a', equals: 1, match: 'some', every: true },
          { path: '$.a', lessThan: 'ten' },
          { path: '$.a', equals: 1, describe: 'name' },
        ],
      }),
    ).toEqual([
      'checks[0].assertions[0]: needs one op as a key with its value, one of equals, notEquals, lessThan, greaterThan, in, matches, exists, notExists, lengthLessThan, lengthGreaterThan (e.g. {path: $.status, equals: UP})',
      'checks[0].assertions[1]: has 2 ops (equals, in); write one assertion per op',
      'checks[0].assertions[2].path: not a valid JSONPath: missing "]"',
      'checks[0].assertions[3].path: a JSONPath starts with $ (e.g. $.status, $.jobs[*].state)',
      'checks[0].assertions[4].path: not a valid JSONPath: Expected expression after == at character 14',
      'checks[0].assertions[5].matches: bad regex: /([a-z/: Unterminated character class',
      'checks[0].assertions[6]: says both every and some; pick one (match: every | some)',
      'checks[0].assertions[7].lessThan: expected number, got text',
      'checks[0].assertions[8].describe: "name" must start with @ (the offending item) or $ (the document)',
    ]);
  });

  it('explains the op-as-key shape when op/value keys are used', () => {
    const problems = httpProblems({
      url,
      assertions: [{ path: '$.status', op: 'equals', value: 'UP' }],
    });
    expect(problems).toContain('checks[0].assertions[0].op: unknown key');
    expect(problems.some((p) => p.includes('e.g. {path: $.status, equals: UP}'))).toBe(true);
  });

  it('rejects bad expectStatus entries, thresholds, regexes and bodies', () => {
    expect(
      httpProblems({
        url,
        method: 'GET',
        json: { a: 1 },
        expectStatus: [200, '2xx', '200-299', 'ok', 700, '299-200'],
        responseTimeMs: { warning: 500, critical: 200 },
        bodyMatches: '(',
      }),
    ).toEqual([
      'checks[0].method: a GET request cannot have a body; use POST or PUT',
      'checks[0].expectStatus[3]: expected a status code (200), a class ("2xx") or a range ("200-299"), within 100-599',
      'checks[0].expectStatus[4]: expected a status code (200), a class ("2xx") or a range ("200-299"), within 100-599',
      'checks[0].expectStatus[5]: expected a status code (200), a class ("2xx") or a range ("200-299"), within 100-599',
      'checks[0].responseTimeMs.warning: must not exceed responseTimeMs.critical (200)',
      'checks[0].bodyMatches: bad regex: /(/: Unterminated group',
    ]);
    expect(httpProblems({ url: 'ftp://files.internal/x' })).toEqual([
      'checks[0].url: must start with http://, https:// or tcp://',
    ]);
    expect(httpProblems({ url, body: 'a', json: {} })).toEqual([
      'checks[0].json: give body or json, not both',
    ]);
  });

  it('checks tcp:// URLs and keeps HTTP-only fields off them', () => {
    expect(httpProblems({ url: 'tcp://10.0.0.5:9092', responseTimeMs: { warning: 50 } })).toEqual(
      [],
    );
    expect(
      httpProblems({ url: 'tcp://10.0.0.5', assertions: [{ path: '$.a', exists: true }] }),
    ).toEqual([
      'checks[0].url: expected tcp://host:port',
      'checks[0].assertions: only for http:// and https:// URLs, not tcp://',
    ]);
  });

  it('requires {{names}} to be captured by an earlier step, and valid capture paths', () => {
    expect(
      httpProblems({
        url: 'https://erp/api/orders',
        headers: { authorization: 'Bearer {{token}}', 'x-tenant': '{{tenant}}' },
        steps: [
          {
            name: 'login',
            url: 'https://erp/login?x={{token}}',
            json: { u: 'a' },
            capture: { token: '$.access_token', bad: 'access_token' },
          },
        ],
      }),
    ).toEqual([
      'checks[0].steps[0].capture.bad: a JSONPath starts with $ (e.g. $.status, $.jobs[*].state)',
      'checks[0].steps[0].url: {{token}} is not captured by an earlier step (capture: {token: $.path})',
      'checks[0].headers.x-tenant: {{tenant}} is not captured by an earlier step (capture: {tenant: $.path})',
    ]);
  });

  it('accepts an unresolved ${secret:} reference in url and headers', () => {
    expect(
      httpProblems({
        url: 'https://${secret:erp/api-host}/health',
        headers: { 'x-api-key': '${secret:erp/api-key}' },
        auth: { bearer: '${secret:erp/token}' },
      }),
    ).toEqual([]);
  });
});

const checks = (list: Record<string, unknown>[]) =>
  parseConfig({ checks: list.map((c, i) => ({ id: `c${i}`, type: 'http', ...c })) }, { env: {} })
    .checks;

describe('jsonpath-plus in the Lambda bundle', () => {
  it('is needed only by checks that read JSON', () => {
    expect(
      packageUse(checks([{ url: 'https://erp/health' }, { url: 'tcp://db:5432' }])).unused,
    ).toContain('jsonpath-plus');
    for (const reader of [
      { url: 'https://erp/health', assertions: [{ path: '$.status', equals: 'UP' }] },
      {
        url: 'https://erp/x',
        steps: [{ url: 'https://erp/login', json: {}, capture: { t: '$.token' } }],
      },
    ]) {
      expect(packageUse(checks([reader])).used).toContain('jsonpath-plus');
    }
  });
});
