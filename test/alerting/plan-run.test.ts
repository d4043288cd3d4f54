import { describe, expect, it } from 'vitest';
import { initialAlertState } from '../../lib/alerting/alert-state.ts';
import { planRun } from '../../lib/alerting/plan-run.ts';
import type { StoredCheckState } from '../../lib/alerting/result-store.ts';
import type { CheckConfig } from '../../lib/config/load-config.ts';
import type { CheckResult } from '../../lib/core/result.ts';
import type { Status } from '../../lib/core/status.ts';
import { fakeCheck } from '../support/fake-checks.ts';

const at = '2026-11-22T01:00:00.000Z';
const now = new Date(at);

function result(check: string, status: Status, skipped = false): CheckResult {
  return {
    check,
    type: 'fake',
    status,
    summary: status === 'ok' ? 'fine' : 'GET http://10.0.4.7/x: connect ETIMEDOUT',
    details: {},
    durationMs: 1,
    startedAt: at,
    finishedAt: at,
    ...(skipped ? { skipped: true } : {}),
  };
}

function stored(check: string, status: Status, alerted: Status = status): StoredCheckState {
  return {
    check,
    version: 1,
    appliedSlots: [],
    alert: { ...initialAlertState(at), lastStatus: status, alertedStatus: alerted },
    lastResult: result(check, status),
  };
}

const db = fakeCheck('db', 'fake');
const app = (id: string) => fakeCheck(id, 'fake', { dependsOn: ['db'] });

interface Case {
  readonly name: string;
  readonly checks: readonly CheckConfig[];
  readonly results: readonly CheckResult[];
  readonly states?: readonly StoredCheckState[];
  readonly held?: readonly string[];
  readonly suppressed: Record<string, string[]>;
  readonly dependents: Record<string, string[]>;
  readonly candidates: readonly string[];
}

const cases: Case[] = [
  {
    name: 'parent failing in the run: the new child incident is suppressed, the parent names it',
    checks: [db, app('a')],
    results: [result('db', 'critical'), result('a', 'critical')],
    suppressed: { a: ['db'] },
    dependents: { db: ['a'] },
    candidates: ['db'],
  },
  {
    name: 'parent ok: nothing suppressed',
    checks: [db, app('a')],
    results: [result('db', 'ok'), result('a', 'critical')],
    suppressed: {},
    dependents: {},
    candidates: ['a'],
  },
  {
    name: 'parent not in this run: its last recorded result counts',
    checks: [app('a')],
    results: [result('a', 'critical')],
    states: [stored('db', 'critical')],
    suppressed: { a: ['db'] },
    dependents: { db: ['a'] },
    candidates: [],
  },
  {
    name: 'parent skipped in this run (budget ended): its last recorded result counts',
    checks: [db, app('a')],
    results: [result('db', 'unknown', true), result('a', 'critical')],
    states: [stored('db', 'ok')],
    suppressed: {},
    dependents: {},
    candidates: ['a'],
  },
  {
    name: 'child already alerted: not suppressed again, not a new incident, not named',
    checks: [db, app('a')],
    results: [result('db', 'critical'), result('a', 'critical')],
    states: [stored('a', 'critical')],
    suppressed: { a: ['db'] },
    dependents: {},
    candidates: ['db'],
  },
  {
    name: 'a check held by maintenance is no new incident to group',
    checks: [db, fakeCheck('b', 'fake')],
    results: [result('db', 'critical'), result('b', 'critical')],
    held: ['b'],
    suppressed: {},
    dependents: {},
    candidates: ['db'],
  },
];

describe('planning a suite run (table)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const out = planRun({
        checks: new Map(c.checks.map((x) => [x.id, x])),
        results: c.results,
        states: new Map((c.states ?? []).map((s) => [s.check, s])),
        settings: (check) => check,
        hold: (id) => (c.held?.includes(id) ? 'maintenance' : undefined),
        grouping: { enabled: true, minChecks: 5 },
        suite: 'morning',
        now,
        at,
        openGroups: [],
      });
      expect(Object.fromEntries(out.suppressedBy)).toEqual(c.suppressed);
      expect(Object.fromEntries(out.dependents)).toEqual(c.dependents);
      expect(out.candidates.map((x) => x.check)).toEqual(c.candidates);
    });
  }

  it('ten failing children of a failing database: one candidate, no group', () => {
    const children = Array.from({ length: 10 }, (_, i) => app(`app-${i}`));
    const out = planRun({
      checks: new Map([db, ...children].map((x) => [x.id, x])),
      results: [result('db', 'critical'), ...children.map((x) => result(x.id, 'critical'))],
      states: new Map(),
      settings: (check) => check,
      hold: () => undefined,
      grouping: { enabled: true, minChecks: 5 },
      suite: 'morning',
      now,
      at,
      openGroups: [],
    });
    expect(out.candidates.map((x) => x.check)).toEqual(['db']);
    expect(out.plan.groups).toEqual([]);
    expect(out.dependents.get('db')).toHaveLength(10);
  });
});
