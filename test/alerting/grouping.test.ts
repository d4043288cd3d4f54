import { describe, expect, it } from 'vitest';
import {
  describeCause,
  errorOf,
  type GroupCandidate,
  type GroupingSettings,
  planGroups,
  worstFirst,
} from '../../lib/alerting/grouping.ts';
import {
  decideGroup,
  type JoiningMember,
  type StoredIncidentGroup,
} from '../../lib/alerting/incident-group.ts';
import type { AlertNotification } from '../../lib/alerting/notification.ts';

const on: GroupingSettings = { enabled: true, minChecks: 5 };
const at = '2026-11-22T01:00:00.000Z';
const context = { suite: 'morning', at };

function candidate(check: string, fields: Partial<GroupCandidate> = {}): GroupCandidate {
  return {
    check,
    severity: 'P2',
    status: 'critical',
    summary: `GET http://10.0.4.7/${check}: connect ETIMEDOUT 10.0.4.7:443`,
    target: '10.0.4.7:443',
    ...fields,
  };
}

const many = (n: number, prefix: string, fields: Partial<GroupCandidate> = {}) =>
  Array.from({ length: n }, (_, i) => candidate(`${prefix}-${i}`, fields));

interface Case {
  readonly name: string;
  readonly candidates: readonly GroupCandidate[];
  readonly settings?: GroupingSettings;
  /** Expected groups: cause text (or null for none) and member count; then singles. */
  readonly groups: readonly [string | null, number][];
  readonly alone: number;
}

const cases: Case[] = [
  {
    name: 'fewer than minChecks new incidents: every check alerts on its own',
    candidates: many(4, 'api'),
    groups: [],
    alone: 4,
  },
  {
    name: 'exactly minChecks sharing error and host: one group naming both',
    candidates: many(5, 'api'),
    groups: [['connect ETIMEDOUT at 10.0.4.7', 5]],
    alone: 0,
  },
  {
    name: 'grouping: false (off switch): nothing groups',
    candidates: many(50, 'api'),
    settings: { enabled: false, minChecks: 5 },
    groups: [],
    alone: 50,
  },
  {
    name: 'different hosts of one /24 with the same error: the subnet is the cause',
    candidates: Array.from({ length: 12 }, (_, i) =>
      candidate(`svc-${i}`, {
        summary: `GET http://10.0.4.${i + 1}/: connect ETIMEDOUT 10.0.4.${i + 1}:443`,
        target: `10.0.4.${i + 1}:443`,
      }),
    ),
    groups: [['connect ETIMEDOUT at 10.0.4.0/24', 12]],
    alone: 0,
  },
  {
    name: 'a check on the same host failing differently stays alone (unrelated)',
    candidates: [
      ...many(20, 'api'),
      candidate('api-health', { summary: 'GET http://10.0.4.7/health: status 500, expected 200' }),
    ],
    groups: [['connect ETIMEDOUT at 10.0.4.7', 20]],
    alone: 1,
  },
  {
    name: 'a hung host: timeouts in different phases (engine deadline, headers, TLS) are one cause',
    candidates: [
      ...many(8, 'api', {
        summary: 'GET http://10.0.4.7/: timed out after 5s waiting for the response headers',
      }),
      candidate('api-tls', {
        summary: '10.0.4.7:443: timed out after 5s during the TLS handshake',
      }),
      candidate('api-slow', { summary: 'timed out after 5s' }),
    ],
    groups: [['timed out after 5s at 10.0.4.7', 10]],
    alone: 0,
  },
  {
    name: 'a hint after the error is not part of the cause (the host stays in the subject)',
    candidates: many(6, 'api', {
      summary: 'GET http://10.0.4.7/: connection refused (nothing listening on that port?)',
    }),
    groups: [['connection refused at 10.0.4.7', 6]],
    alone: 0,
  },
  {
    name: 'an unrelated check (another type, no host) in the same run stays alone',
    candidates: [
      ...many(50, 'api'),
      candidate('root-disk', { summary: '/ is 97% full', target: undefined as never }),
    ],
    groups: [['connect ETIMEDOUT at 10.0.4.7', 50]],
    alone: 1,
  },
  {
    name: 'same Kubernetes namespace and error: the namespace is named',
    candidates: many(6, 'pods', {
      summary: '3 pods not ready: CrashLoopBackOff',
      target: undefined as never,
      details: { namespace: 'erp' },
    }),
    groups: [['CrashLoopBackOff at namespace erp', 6]],
    alone: 0,
  },
  {
    name: 'DNS down: the same error on many hosts is the cause',
    candidates: Array.from({ length: 7 }, (_, i) =>
      candidate(`site-${i}`, {
        summary: `GET https://site${i}.example/: getaddrinfo ENOTFOUND site${i}.example`,
        target: `site${i}.example:443`,
      }),
    ),
    groups: [['getaddrinfo ENOTFOUND', 7]],
    alone: 0,
  },
  {
    name: 'two causes in one run: two groups',
    candidates: [
      ...many(6, 'api'),
      ...many(8, 'db', {
        summary: 'postgres 10.0.9.2:5432: connection refused',
        target: '10.0.9.2:5432',
      }),
    ],
    groups: [
      ['connection refused at 10.0.9.2', 8],
      ['connect ETIMEDOUT at 10.0.4.7', 6],
    ],
    alone: 0,
  },
  {
    name: 'a handful of distinct problems (minChecks, nothing shared) page each on their own',
    candidates: Array.from({ length: 9 }, (_, i) =>
      candidate(`x-${i}`, { summary: `problem ${i}`, target: `host${i}.example:443` }),
    ),
    groups: [],
    alone: 9,
  },
  {
    name: 'a storm with nothing in common (twice minChecks) forms one cause-less group',
    candidates: Array.from({ length: 10 }, (_, i) =>
      candidate(`x-${i}`, { summary: `problem ${i}`, target: `host${i}.example:443` }),
    ),
    groups: [[null, 10]],
    alone: 0,
  },
];

describe('grouping per run (table)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const plan = planGroups(c.candidates, c.settings ?? on, context);
      expect(plan.groups.map((g) => [g.cause ?? null, g.members.length])).toEqual(c.groups);
      const grouped = plan.groups.flatMap((g) => g.members.map((m) => m.check));
      expect(c.candidates.length - grouped.length).toBe(c.alone);
      expect(new Set(grouped).size).toBe(grouped.length);
    });
  }

  it('gives each group of a run its own key (suite and run time)', () => {
    const plan = planGroups(
      [...many(6, 'api'), ...many(6, 'db', { summary: 'x: refused', target: '10.9.9.9:1' })],
      on,
      context,
    );
    expect(plan.groups.map((g) => g.key)).toEqual([
      'morning/group/2026-11-22T01:00:00.000Z',
      'morning/group/2026-11-22T01:00:00.000Z-2',
    ]);
  });

  it('lists members worst first: status, then severity, then id', () => {
    const plan = planGroups(
      [
        candidate('c', { status: 'warning', severity: 'P1' }),
        candidate('b', { status: 'critical', severity: 'P3' }),
        candidate('a', { status: 'critical', severity: 'P3' }),
        candidate('d', { status: 'critical', severity: 'P1' }),
        candidate('e', { status: 'unknown', severity: 'P1' }),
      ],
      on,
      context,
    );
    expect(plan.groups[0]?.members.map((m) => m.check)).toEqual(['d', 'a', 'b', 'e', 'c']);
    expect(worstFirst([])).toEqual([]);
  });

  it('a later check with the cause of an open group joins it instead of paging', () => {
    const plan = planGroups(many(2, 'late'), on, {
      ...context,
      open: [{ key: 'morning/group/earlier', causeKey: 'connect ETIMEDOUT@host:10.0.4.7' }],
    });
    expect(plan.groups).toEqual([]);
    expect([...plan.joins]).toEqual([
      ['late-0', 'morning/group/earlier'],
      ['late-1', 'morning/group/earlier'],
    ]);
  });

  it('reads the error from codes, details and summaries', () => {
    expect(errorOf({ summary: 'GET http://a/: connect ECONNREFUSED 1.2.3.4:80' })).toBe(
      'connect ECONNREFUSED',
    );
    expect(errorOf({ summary: 'GET http://a/: boom', details: { error: 'socket hang up' } })).toBe(
      'socket hang up',
    );
    expect(errorOf({ summary: 'postgres 10.0.0.1:5432: connection refused' })).toBe(
      'connection refused',
    );
    expect(describeCause('*@host:10.0.4.7')).toBe('host 10.0.4.7');
    expect(describeCause('x@node:ip-10-0-1-2')).toBe('x at node ip-10-0-1-2');
  });
});

function member(check: string, status: 'critical' | 'warning' = 'critical'): JoiningMember {
  const notification: AlertNotification = {
    id: `${check}:trigger:${at}`,
    check,
    suite: 'morning',
    event: 'trigger',
    status,
    previousStatus: 'ok',
    severity: check === 'api-0' ? 'P1' : 'P2',
    summary: `${check} down`,
    details: {},
    since: at,
    at,
  };
  return { notification };
}

describe('grouped incident lifecycle (decideGroup)', () => {
  const now = new Date(at);
  const options = {
    now,
    route: () => ['email', 'pagerduty'],
    claim: {
      runId: 'run-1',
      now,
      leaseUntil: new Date(now.getTime() + 60_000),
      channels: ['email', 'pagerduty'],
    },
  };
  const planned = planGroups(
    ['api-0', 'api-1', 'api-2', 'api-3', 'api-4'].map((c) => candidate(c)),
    on,
    context,
  ).groups[0];

  function opened(): StoredIncidentGroup {
    const d = decideGroup(
      undefined,
      {
        ...(planned ? { planned } : {}),
        joining: ['api-0', 'api-1', 'api-2', 'api-3', 'api-4'].map((c) => member(c)),
        leaving: [],
      },
      options,
    );
    return { ...(d.next as Omit<StoredIncidentGroup, 'version'>), version: 1, outbox: [] };
  }

  it('opens with one trigger carrying its own dedup key, the cause and the members', () => {
    const d = decideGroup(
      undefined,
      {
        ...(planned ? { planned } : {}),
        joining: ['api-3', 'api-0', 'api-1', 'api-2', 'api-4'].map((c) =>
          member(c, c === 'api-3' ? 'warning' : 'critical'),
        ),
        leaving: [],
      },
      options,
    );
    expect(d.notification).toMatchObject({
      event: 'trigger',
      dedupKey: planned?.key,
      severity: 'P1',
      status: 'critical',
      summary: '5 checks failing: connect ETIMEDOUT at 10.0.4.7',
      group: { count: 5, cause: 'connect ETIMEDOUT at 10.0.4.7' },
    });
    expect(d.notification?.group?.members.map((m) => m.check)).toEqual([
      'api-0',
      'api-1',
      'api-2',
      'api-4',
      'api-3',
    ]);
    expect(d.claims.map((c) => c.channels)).toEqual([['email', 'pagerduty']]);
  });

  it('resolves only when the last member resolves', () => {
    let group = opened();
    for (const [i, leaving] of [['api-0', 'api-1'], ['api-2', 'api-3'], ['api-4']].entries()) {
      const d = decideGroup(group, { joining: [], leaving }, options);
      if (i < 2) {
        expect(d.notification).toBeUndefined();
      } else {
        expect(d.notification).toMatchObject({
          event: 'resolve',
          status: 'ok',
          previousStatus: 'critical',
          dedupKey: planned?.key,
          // Says what was wrong as the past it now is.
          summary: '5 checks ok again (were failing: connect ETIMEDOUT at 10.0.4.7)',
        });
        expect(d.next?.closedAt).toBe(at);
      }
      group = { ...(d.next as Omit<StoredIncidentGroup, 'version'>), version: group.version + 1 };
    }
    // Closed: more leavers (a redelivered run) send nothing again.
    expect(decideGroup(group, { joining: [], leaving: ['api-4'] }, options).notification).toBe(
      undefined,
    );
  });

  it('a joiner is added quietly; the group then waits for it too', () => {
    const group = opened();
    const joined = decideGroup(group, { joining: [member('late')], leaving: [] }, options);
    expect(joined.notification).toBeUndefined();
    expect(joined.next?.members).toContain('late');
    const allButLate = decideGroup(
      { ...(joined.next as Omit<StoredIncidentGroup, 'version'>), version: 2 },
      { joining: [], leaving: ['api-0', 'api-1', 'api-2', 'api-3', 'api-4'] },
      options,
    );
    expect(allButLate.notification).toBeUndefined();
  });

  it('members reminding together send one reminder for the incident; an escalation re-tells it', () => {
    const group = { ...opened(), status: 'warning' as const };
    const remind = (check: string) => ({
      notification: {
        ...member(check).notification,
        event: 'reminder' as const,
        status: 'warning' as const,
      },
    });
    const reminded = decideGroup(
      group,
      { joining: [remind('api-0'), remind('api-1')], leaving: [] },
      options,
    );
    expect(reminded.notification).toMatchObject({
      event: 'reminder',
      dedupKey: planned?.key,
      summary: '5 checks still failing: connect ETIMEDOUT at 10.0.4.7',
    });
    const escalated = decideGroup(
      group,
      { joining: [member('api-2', 'critical')], leaving: [] },
      options,
    );
    expect(escalated.notification).toMatchObject({ event: 'trigger', status: 'critical' });
    expect(escalated.next?.status).toBe('critical');
    expect(escalated.next?.total).toBe(5);
  });

  it('a group that would open with no member (a duplicate run) is not created', () => {
    const d = decideGroup(
      undefined,
      { ...(planned ? { planned } : {}), joining: [], leaving: [] },
      options,
    );
    expect(d.next).toBeUndefined();
  });
});
