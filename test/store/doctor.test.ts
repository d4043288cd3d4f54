import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import dynalite from 'dynalite';
import { describe, expect, it } from 'vitest';
import type { StoredIncidentGroup } from '../../lib/alerting/incident-group.ts';
import type { StoredCheckState } from '../../lib/alerting/result-store.ts';
import { doctorStateDir } from '../../lib/store/doctor.ts';
import { DynamoResultStore } from '../../lib/store/dynamodb-store.ts';
import { ensureTable } from '../../lib/store/ensure-table.ts';
import { openLocalStore } from '../../lib/store/local-store.ts';
import { shareStateDir } from '../../lib/store/state-dir-guard.ts';
import { StoreError } from '../../lib/store/store-errors.ts';
import { defaultTableName, expiresAtFor } from '../../lib/store/table-layout.ts';
import { flipBytes, offsetsOf, truncateTo } from '../support/damage.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { result, state } from './fixtures.ts';

const tempDir = useTempDirs();
const checks = Array.from({ length: 40 }, (_, i) => `check-${String(i).padStart(2, '0')}`);

/** What a real store holds: states with open alerts and pending notifications, and history. */
function alerted(check: string, version: number): StoredCheckState {
  const base = state(check, version, { appliedSlots: ['daily@2026-11-22T05:00:00.000Z'] });
  return {
    ...base,
    alert: { ...base.alert, lastStatus: 'critical', alertedStatus: 'critical' },
    lastResult: result(check, '2026-11-22T05:00:00.000Z', {
      status: 'critical',
      summary: `${check} is down `.repeat(20),
    }),
  };
}

async function seeded(): Promise<string> {
  const dir = await tempDir();
  const local = await openLocalStore(dir, { access: 'read-write', waitMs: 2_000 });
  const expiresAt = expiresAtFor(new Date(), 30);
  for (let run = 0; run < 5; run++) {
    const at = new Date(Date.UTC(2026, 10, 22, run)).toISOString();
    await local.store.appendRuns(
      checks.map((c) => ({ at, suite: 'daily', result: result(c, at, { summary: `run ${run}` }) })),
      expiresAt,
    );
    // Rewriting every state each run, as runs do, leaves older versions on freed pages.
    for (const c of checks) {
      await local.store.putState(alerted(c, run + 1), run === 0 ? undefined : run);
    }
  }
  local.close();
  return dir;
}

async function contents(dir: string) {
  const local = await openLocalStore(dir, { access: 'read-only', waitMs: 2_000 });
  try {
    const states = await local.store.getStates(checks);
    const runs = await local.store.history('check-00');
    return { states, runs };
  } finally {
    local.close();
  }
}

describe('healthcheck doctor (store level)', () => {
  it('leaves a healthy store as it is and says what it holds', async () => {
    const dir = await seeded();
    const report = await doctorStateDir(dir, { waitMs: 1_000 });
    expect(report.files.map((f) => f.outcome)).toEqual(['ok', 'ok']);
    expect(report.contents).toMatchObject({
      checks: 40,
      openAlerts: 40,
      runs: 200,
      // The first and last runs' times (seeded 00:00 to 04:00 UTC), not their storage keys.
      oldestRun: '2026-11-22T00:00:00.000Z',
      newestRun: '2026-11-22T04:00:00.000Z',
    });
    expect(readdirSync(dir).some((f) => f.includes('damaged'))).toBe(false);
  });

  it('a dir with no store is nothing to repair', async () => {
    const report = await doctorStateDir(join(await tempDir(), 'never'), { waitMs: 1_000 });
    expect(report.found).toBe(false);
    expect((await doctorStateDir(await tempDir(), { waitMs: 1_000 })).found).toBe(false);
  });

  it('repairs a state file whose first pages are destroyed, keeping every check state', async () => {
    const dir = await seeded();
    const file = join(dir, 'state.db');
    // Page 1 (header and schema) and page 2 (the table's root) overwritten.
    flipBytes(file, 0, 8192);
    await expect(openLocalStore(dir, { access: 'read-write', waitMs: 500 })).rejects.toThrow(
      StoreError,
    );
    const report = await doctorStateDir(dir, { waitMs: 1_000 });
    const fixed = report.files.find((f) => f.file === file);
    expect(fixed?.outcome).toBe('repaired');
    expect(fixed?.kept).toBe(40);
    expect(fixed?.movedTo?.[0]).toMatch(/state\.db\.damaged-/);
    expect(existsSync(fixed?.movedTo?.[0] ?? '')).toBe(true);
    const { states } = await contents(dir);
    expect(states.size).toBe(40);
    // The newest version of each, not an older copy from a freed page.
    expect([...states.values()].every((s) => s.version === 5)).toBe(true);
    expect(report.lostStates).toEqual([]);
  });

  it('keeps the open grouped incidents of a damaged state file (their pages stay open)', async () => {
    const dir = await seeded();
    const local = await openLocalStore(dir, { access: 'read-write', waitMs: 2_000 });
    const open: StoredIncidentGroup = {
      key: 'daily/group/2026-11-22T05:00:00.000Z',
      suite: 'daily',
      version: 1,
      causeKey: 'connect ETIMEDOUT@host:10.0.4.7',
      cause: 'connect ETIMEDOUT at 10.0.4.7',
      openedAt: '2026-11-22T05:00:00.000Z',
      members: checks.slice(0, 12),
      total: 12,
      severity: 'P1',
      status: 'critical',
      outbox: [],
      openOn: ['pagerduty'],
    };
    expect(await local.store.putIncidentGroup(open, undefined)).toBe(true);
    expect(await local.store.putIncidentGroup({ ...open, version: 2 }, 1)).toBe(true);
    local.close();
    flipBytes(join(dir, 'state.db'), 0, 8192);
    const report = await doctorStateDir(dir, { waitMs: 1_000 });
    expect(report.files.find((f) => f.file.endsWith('state.db'))).toMatchObject({
      outcome: 'repaired',
      kept: 40,
      keptGroups: 1,
    });
    const after = await openLocalStore(dir, { access: 'read-only', waitMs: 2_000 });
    try {
      // The newest version, still open on PagerDuty: a member's resolve does not close it early.
      expect(await after.store.getIncidentGroups('daily')).toEqual([{ ...open, version: 2 }]);
    } finally {
      after.close();
    }
  });

  it('drops only the row whose bytes were changed, and names the check that lost its state', async () => {
    const dir = await seeded();
    const file = join(dir, 'state.db');
    // Every copy: a freed page may still hold an older version of the row.
    for (const at of offsetsOf(file, 'check-17 is down')) flipBytes(file, at, 16);
    const report = await doctorStateDir(dir, { waitMs: 1_000 });
    const fixed = report.files.find((f) => f.file === file);
    expect(fixed?.outcome).toBe('repaired');
    expect(fixed?.dropped).toBeGreaterThanOrEqual(1);
    const { states } = await contents(dir);
    expect(states.has('check-17')).toBe(false);
    expect(states.size).toBe(39);
    expect(report.lostStates).toEqual(['check-17']);
  });

  it('keeps the history before a truncation and every state when only history was cut', async () => {
    const dir = await seeded();
    truncateTo(join(dir, 'history.db'), 0.6);
    const report = await doctorStateDir(dir, { waitMs: 1_000 });
    const fixed = report.files.find((f) => f.file.endsWith('history.db'));
    expect(fixed?.outcome).toBe('repaired');
    expect(fixed?.kept).toBeGreaterThan(0);
    expect(fixed?.kept).toBeLessThan(200);
    const { states, runs } = await contents(dir);
    expect(states.size).toBe(40);
    expect(runs.length).toBeGreaterThan(0);
  });

  it('resets on request, keeping the old files aside', async () => {
    const dir = await seeded();
    const report = await doctorStateDir(dir, { waitMs: 1_000, reset: true });
    expect(report.files.map((f) => f.outcome)).toEqual(['reset', 'reset']);
    expect(report.contents).toMatchObject({ checks: 0, runs: 0 });
    expect(readdirSync(dir).filter((f) => f.includes('.reset-'))).toHaveLength(2);
  });

  it('waits for a running command and gives up with "busy" past its wait', async () => {
    const dir = await seeded();
    const run = shareStateDir(dir, 100);
    const waits: string[] = [];
    const error = await doctorStateDir(dir, { waitMs: 300, onWait: (m) => waits.push(m) }).catch(
      (e: unknown) => e,
    );
    expect((error as StoreError).problem).toBe('busy');
    expect(waits[0]).toMatch(/waiting up to 300ms for running healthcheck commands/);
    run.release();
    expect((await doctorStateDir(dir, { waitMs: 300 })).found).toBe(true);
  });
});

/** A state dir as the dynalite-based CLI left it: LevelDB under dynamodb/ and its store.lock. */
async function legacyStateDir(): Promise<string> {
  const dir = await tempDir();
  const server = dynalite({ path: join(dir, 'dynamodb'), createTableMs: 0 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'local',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  try {
    await ensureTable(client, defaultTableName);
    const store = new DynamoResultStore({ client, tableName: defaultTableName });
    await store.putState(alerted('old-a', 3), undefined);
    // As the first dynalite CLI wrote it: schema 1, a `lastToken` instead of applied slots.
    const { appliedSlots: _slots, ...old } = alerted('old-b', 5);
    await client.send(
      new PutItemCommand({
        TableName: defaultTableName,
        Item: marshall(
          { ...old, pk: 'CHECK#old-b', sk: 'STATE', lastToken: '2026-11-22T05:00:00.000Z' },
          { removeUndefinedValues: true },
        ),
      }),
    );
    await store.appendRuns(
      [0, 1, 2].map((h) => {
        const at = new Date(Date.UTC(2026, 10, 22, h)).toISOString();
        return { at, suite: null, result: result('old-a', at) };
      }),
      expiresAtFor(new Date(), 30),
    );
    await store.appendRuns(
      [
        {
          at: '2026-01-01T00:00:00.000Z',
          suite: null,
          result: result('old-b', '2026-01-01T00:00:00.000Z'),
        },
      ],
      Math.floor(Date.now() / 1000) - 60,
    );
  } finally {
    client.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
  writeFileSync(join(dir, 'store.lock'), '');
  return dir;
}

describe('one-time import of a dynalite state dir', () => {
  it('the first open imports states (version, slots, alert state) and unexpired history', async () => {
    const dir = await legacyStateDir();
    const local = await openLocalStore(dir, { access: 'read-write', waitMs: 5_000 });
    expect(local.imported).toMatchObject({ states: 2 });
    const states = await local.store.getStates(['old-a', 'old-b']);
    expect(states.get('old-a')).toMatchObject({
      version: 3,
      appliedSlots: ['daily@2026-11-22T05:00:00.000Z'],
      alert: { alertedStatus: 'critical' },
    });
    // The schema-1 item comes over migrated, its open alert intact.
    expect(states.get('old-b')).toMatchObject({ version: 5, alert: { alertedStatus: 'critical' } });
    expect(states.get('old-b')).not.toHaveProperty('damaged');
    expect((await local.store.history('old-a')).map((r) => r.at)).toHaveLength(3);
    expect(await local.store.history('old-b')).toEqual([]);
    // The imported version guards the next conditional write as before.
    expect(await local.store.putState(alerted('old-a', 4), 2)).toBe(false);
    expect(await local.store.putState(alerted('old-a', 4), 3)).toBe(true);
    local.close();
    const files = readdirSync(dir);
    expect(files).not.toContain('dynamodb');
    expect(files).not.toContain('store.lock');
    expect(files.some((f) => f.startsWith('dynamodb.imported-'))).toBe(true);
    // Opened again: nothing to import.
    const again = await openLocalStore(dir, { access: 'read-write', waitMs: 5_000 });
    expect(again.imported).toBeUndefined();
    again.close();
  });

  it('read-only commands ask for the import instead of doing it', async () => {
    const dir = await legacyStateDir();
    const error = await openLocalStore(dir, { access: 'read-only', waitMs: 1_000 }).catch(
      (e: unknown) => e as StoreError,
    );
    expect((error as StoreError).message).toContain('old format');
    expect(readdirSync(dir)).toContain('dynamodb');
  });

  it('an import that crashed before is reported, and doctor sets the old store aside', async () => {
    const dir = await legacyStateDir();
    writeFileSync(join(dir, 'import.started'), 'crashed');
    const error = await openLocalStore(dir, { access: 'read-write', waitMs: 1_000 }).catch(
      (e: unknown) => e as StoreError,
    );
    expect((error as StoreError).problem).toBe('damaged');
    const report = await doctorStateDir(dir, { waitMs: 1_000 });
    expect(report.actions.join('\n')).toMatch(
      /crashed on an earlier run; moved it to .*unreadable/,
    );
    (await openLocalStore(dir, { access: 'read-write', waitMs: 1_000 })).close();
  });

  it('doctor imports an old store no run has opened yet', async () => {
    const dir = await legacyStateDir();
    const report = await doctorStateDir(dir, { waitMs: 5_000 });
    expect(report.actions.join('\n')).toMatch(/imported the old-format store: 2 check states/);
    expect(report.contents?.checks).toBe(2);
  });
});
