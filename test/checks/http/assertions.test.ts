import { describe, expect, it } from 'vitest';
import { AssertionSchema } from '../../../lib/checks/http/assertion-config.ts';
import { evaluateAssertion, looselyEqual } from '../../../lib/checks/http/assertions.ts';
import { describeItem } from '../../../lib/checks/http/describe-label.ts';
import { describeExpectedStatus, statusExpected } from '../../../lib/checks/http/expect-status.ts';

const varz = { server_id: 'N1', connections: 12, slow_consumers: 4, tags: [], version: '2.9.15' };
const flink = {
  jobs: [
    { jid: 'a1', name: 'orders-enrich', state: 'RUNNING' },
    { jid: 'b2', name: 'payments-agg', state: 'FAILING' },
    { jid: 'c3', name: 'inventory-sync', state: 'CANCELED' },
  ],
};
const connect = {
  name: 'orders-cdc',
  connector: { state: 'PAUSED' },
  tasks: [
    { id: 0, state: 'RUNNING' },
    { id: 2, state: 'FAILED' },
  ],
};

function judge(fields: Record<string, unknown>, document: unknown, describe?: string) {
  return evaluateAssertion(AssertionSchema.parse(fields), document, describe);
}

describe('evaluateAssertion', () => {
  it.each([
    [{ path: '$.slow_consumers', equals: 0 }, '$.slow_consumers is 4, expected 0'],
    [{ path: '$.connections', lessThan: 10 }, '$.connections is 12, expected < 10'],
    [{ path: '$.connections', greaterThan: 20 }, '$.connections is 12, expected > 20'],
    [{ path: '$.server_id', notEquals: 'N1' }, '$.server_id is N1, expected not N1'],
    [{ path: '$.server_id', in: ['N2', 'N3'] }, '$.server_id is N1, expected one of N2, N3'],
    [{ path: '$.version', matches: '^3\\.' }, '$.version is 2.9.15, expected to match /^3\\./'],
    [{ path: '$.tags', lengthGreaterThan: 0 }, '$.tags has length 0, expected length > 0'],
    [{ path: '$.cluster', exists: true }, '$.cluster not found in the response'],
    [{ path: '$.server_id', notExists: true }, '$.server_id matched 1 value: N1'],
    [{ path: '$.cluster', equals: 'prod' }, '$.cluster not found in the response (expected prod)'],
    [{ path: '$.server_id', lessThan: 3 }, '$.server_id is N1 (not a number), expected < 3'],
  ])('%j fails with "%s"', (fields, text) => {
    expect(judge(fields, varz)?.text).toBe(text);
  });

  it.each([
    { path: '$.slow_consumers', equals: 4 },
    { path: '$.slow_consumers', equals: '4' },
    { path: '$.version', matches: '^2\\.' },
    { path: '$.tags', lengthLessThan: 1 },
    { path: '$.cluster', notExists: true },
    { path: '$.cluster', exists: false },
    { path: '$.server_id', exists: null },
  ])('%j holds', (fields) => {
    expect(judge(fields, varz)).toBeUndefined();
  });

  it('lists every failing value of a multi-value path, at most three in the text', () => {
    const failure = judge({ path: '$.jobs[*].state', equals: 'RUNNING' }, flink);
    expect(failure?.text).toBe(
      '$.jobs[1].state is FAILING, $.jobs[2].state is CANCELED, expected RUNNING',
    );
    expect(failure?.failing.map((f) => f.value)).toEqual(['FAILING', 'CANCELED']);
    expect(failure).toMatchObject({
      matched: 3,
      failingCount: 2,
      severity: 'critical',
      match: 'every',
    });
    const many = { jobs: Array.from({ length: 7 }, (_, i) => ({ state: `S${i}` })) };
    expect(judge({ path: '$.jobs[*].state', equals: 'RUNNING' }, many)?.text).toMatch(
      /\$\.jobs\[2\]\.state is S2, and 4 more, expected RUNNING$/,
    );
  });

  it('names offending items with describe: @ is the item, $ the document', () => {
    expect(judge({ path: '$.jobs[*].state', equals: 'RUNNING' }, flink, 'job {@.name}')?.text).toBe(
      'job payments-agg FAILING, job inventory-sync CANCELED (expected RUNNING)',
    );
    expect(
      judge(
        { path: '$.tasks[*].state', equals: 'RUNNING' },
        connect,
        'connector {$.name} task {@.id}',
      )?.text,
    ).toBe('connector orders-cdc task 2 FAILED (expected RUNNING)');
    expect(
      judge(
        { path: '$.connector.state', equals: 'RUNNING', describe: 'connector {$.name}' },
        connect,
      )?.text,
    ).toBe('connector orders-cdc PAUSED (expected RUNNING)');
    expect(
      judge({ path: "$.jobs[?(@.state != 'RUNNING')]", notExists: true, describe: '@.name' }, flink)
        ?.text,
    ).toBe("payments-agg, inventory-sync (expected no match for $.jobs[?(@.state != 'RUNNING')])");
  });

  it('with some, passes when one value passes and names the values otherwise', () => {
    expect(
      judge({ path: '$.jobs[*].state', equals: 'FAILING', match: 'some' }, flink),
    ).toBeUndefined();
    expect(judge({ path: '$.jobs[*].state', equals: 'FINISHED', some: true }, flink)?.text).toBe(
      'none of $.jobs[*].state is FINISHED: got RUNNING, FAILING, CANCELED',
    );
  });

  it('keeps its own severity', () => {
    expect(
      judge({ path: '$.connections', lessThan: 10, severity: 'warning' }, varz)?.severity,
    ).toBe('warning');
  });
});

describe('looselyEqual', () => {
  it.each([
    [4, '4', true],
    ['4.0', 4, true],
    [true, 'true', true],
    [[1, { a: 2 }], [1, { a: 2 }], true],
    ['UP', 'up', false],
    [null, 0, false],
    ['', 0, false],
  ])('%j vs %j: %s', (a, b, equal) => {
    expect(looselyEqual(a, b)).toBe(equal);
  });
});

describe('describeItem', () => {
  it('fills placeholders and marks missing values', () => {
    expect(describeItem('task {@.id} on {@.worker_id}', { id: 2 }, {})).toBe('task 2 on ?');
    expect(describeItem('$.name', {}, { name: 'orders-cdc' })).toBe('orders-cdc');
  });
});

describe('expectStatus', () => {
  it.each([
    [['2xx'], 204, true],
    [['2xx'], 301, false],
    [[200, '3xx'], 302, true],
    [['200-299'], 299, true],
    [['200-299'], 300, false],
    [['401'], 401, true],
  ] as const)('%j accepts %d: %s', (entries, status, accepted) => {
    expect(statusExpected(entries, status)).toBe(accepted);
  });

  it('reads as a list', () => {
    expect(describeExpectedStatus(['2xx'])).toBe('2xx');
    expect(describeExpectedStatus([200, 204, '3xx'])).toBe('200, 204 or 3xx');
  });
});
