import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLocalStore } from '../../lib/store/local-store.ts';
import { openDatabase } from '../../lib/store/sqlite.ts';
import { shareStateDir, takeStateDir } from '../../lib/store/state-dir-guard.ts';
import { StoreError } from '../../lib/store/store-errors.ts';
import { expiresAtFor } from '../../lib/store/table-layout.ts';
import { flipBytes, offsetOf, truncateTo } from '../support/damage.ts';
import { repoRoot } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { result, state } from './fixtures.ts';
import { resultStoreContract } from './result-store-contract.ts';

const tempDir = useTempDirs();

const contractStores: { close(): void }[] = [];
afterAll(() => {
  for (const local of contractStores) local.close();
});
resultStoreContract('SqliteResultStore (local store)', async () => {
  const local = await openLocalStore(await tempDir(), { access: 'read-write', waitMs: 5_000 });
  contractStores.push(local);
  return local.store;
});
const open = (dir: string, access: 'read-write' | 'read-only' = 'read-write', waitMs = 2_000) =>
  openLocalStore(dir, { access, waitMs });

async function storeError(work: Promise<unknown>): Promise<StoreError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  const storeError = error as StoreError;
  // One line, naming the path and what to do.
  expect(storeError.message).not.toContain('\n');
  return storeError;
}

/** A store with one check's state and one run recorded, closed. */
async function seeded(): Promise<string> {
  const dir = await tempDir();
  const local = await open(dir);
  await local.store.putState(state('seeded-check', 1), undefined);
  await local.store.appendRuns(
    [
      {
        at: '2026-11-22T01:00:00.000Z',
        suite: null,
        result: result('seeded-check', '2026-11-22T01:00:00.000Z'),
      },
    ],
    expiresAtFor(new Date(), 30),
  );
  local.close();
  return dir;
}

/** Runs `script` (ESM, may import the repo's TS) in a fresh Node process; resolves with its exit. */
function child(
  script: string,
): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => resolve({ code, signal, out }));
  });
}

describe('local SQLite store: opening', () => {
  it('creates the store in a new dir, marks it, and reopens what it wrote', async () => {
    const dir = join(await tempDir(), 'nested', 'state');
    const first = await open(dir);
    await first.store.putState(state('x', 1), undefined);
    first.close();
    expect(readdirSync(dir).sort()).toEqual(
      expect.arrayContaining(['history.db', 'lock.db', 'state.db', 'store.json']),
    );
    const again = await open(dir);
    expect((await again.store.getStates(['x'])).get('x')?.version).toBe(1);
    again.close();
  });

  it('a state dir path that is a file, or runs through one, is a clear error', async () => {
    const file = join(await tempDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    for (const path of [file, join(file, 'below')]) {
      const error = await storeError(open(path));
      expect(error.problem).toBe('not-a-directory');
      expect(error.path).toBe(file);
      expect(error.message).toContain('--state-dir');
    }
  });

  it('read-only opens create nothing: a missing dir or an empty one is "no store yet"', async () => {
    const parent = await tempDir();
    const missing = join(parent, 'never-run');
    const error = await storeError(open(missing, 'read-only'));
    expect(error.problem).toBe('missing');
    expect(readdirSync(parent)).toEqual([]);
    const empty = join(parent, 'empty');
    mkdirSync(empty);
    expect((await storeError(open(empty, 'read-only'))).problem).toBe('missing');
    expect(readdirSync(empty)).toEqual([]);
  });

  it('read-only opens read what runs wrote, and leave the store files as they were', async () => {
    const dir = await seeded();
    const before = readdirSync(dir).sort();
    const reader = await open(dir, 'read-only');
    expect((await reader.store.getStates(['seeded-check'])).get('seeded-check')?.version).toBe(1);
    expect(await reader.store.history('seeded-check')).toHaveLength(1);
    reader.close();
    // SQLite may leave its WAL index files behind; no store file is created or removed.
    const after = readdirSync(dir)
      .filter((f) => !/-(wal|shm)$/.test(f))
      .sort();
    expect(after).toEqual(before.filter((f) => !/-(wal|shm)$/.test(f)));
  });

  it('a reader works while a writer holds the write lock', async () => {
    const dir = await seeded();
    const writer = openDatabase(join(dir, 'state.db'));
    writer.exec('BEGIN IMMEDIATE');
    writer.prepare("UPDATE check_state SET version = 99 WHERE check_id = 'seeded-check'").run();
    try {
      const reader = await open(dir, 'read-only', 100);
      // The uncommitted write is invisible; the committed state is read without waiting.
      expect((await reader.store.getStates(['seeded-check'])).get('seeded-check')?.version).toBe(1);
      reader.close();
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  });

  it('a write that waits past its budget for another writer is "busy", not an internal error', async () => {
    const dir = await seeded();
    const local = await open(dir, 'read-write', 200);
    const holder = openDatabase(join(dir, 'state.db'));
    holder.exec('BEGIN IMMEDIATE');
    try {
      const error = await storeError(local.store.putState(state('seeded-check', 2), 1));
      expect(error.problem).toBe('busy');
      expect(error.path).toBe(join(dir, 'state.db'));
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    // Once the other writer is gone the same handle writes.
    expect(await local.store.putState(state('seeded-check', 2), 1)).toBe(true);
    local.close();
  });

  it('a store file that disappeared or was emptied is reported lost, not silently restarted', async () => {
    for (const damage of ['delete', 'empty'] as const) {
      for (const file of ['state.db', 'history.db']) {
        const dir = await seeded();
        if (damage === 'delete') rmSync(join(dir, file));
        else truncateTo(join(dir, file), 0);
        const error = await storeError(open(dir));
        expect(error.problem).toBe('missing');
        expect(error.path).toBe(join(dir, file));
        expect(error.message).toContain(`healthcheck doctor --state-dir ${dir}`);
        expect((await storeError(open(dir, 'read-only'))).problem).toBe('missing');
      }
    }
  });

  it('damaged bytes are found: truncated files, a broken header, a row that fails its checksum', async () => {
    const cases: [
      string,
      (dir: string) => void,
      (local: Awaited<ReturnType<typeof open>>) => Promise<unknown>,
    ][] = [
      ['state.db', (d) => truncateTo(join(d, 'state.db'), 0.5), async () => undefined],
      ['state.db', (d) => flipBytes(join(d, 'state.db'), 0, 16), async () => undefined],
      [
        'state.db',
        (d) => flipBytes(join(d, 'state.db'), offsetOf(join(d, 'state.db'), '"alert"'), 4),
        (local) => local.store.getStates(['seeded-check']),
      ],
      ['history.db', (d) => truncateTo(join(d, 'history.db'), 0.5), async () => undefined],
      [
        'history.db',
        (d) => flipBytes(join(d, 'history.db'), offsetOf(join(d, 'history.db'), '"summary"'), 4),
        (local) => local.store.history('seeded-check'),
      ],
    ];
    for (const [file, damage, use] of cases) {
      const dir = await seeded();
      damage(dir);
      const error = await storeError(
        (async () => {
          const local = await open(dir);
          try {
            await use(local);
          } finally {
            local.close();
          }
        })(),
      );
      expect(error.problem).toBe('damaged');
      expect(error.path).toBe(join(dir, file));
      expect(error.message).toContain(`healthcheck doctor --state-dir ${dir}`);
    }
  });

  it('refuses a SQLite file that is not ours, and one from a newer version', async () => {
    const foreign = await seeded();
    const other = openDatabase(join(foreign, 'state.db'));
    other.exec('PRAGMA application_id = 1234');
    other.close();
    expect((await storeError(open(foreign))).problem).toBe('damaged');
    const newer = await seeded();
    const future = openDatabase(join(newer, 'history.db'));
    future.exec('PRAGMA user_version = 99');
    future.close();
    const error = await storeError(open(newer));
    expect(error.problem).toBe('newer-format');
    expect(error.message).toContain('format 99');
  });
});

describe('local SQLite store: retention', () => {
  it('deletes expired history when runs are recorded, so the file stops growing', async () => {
    const dir = await tempDir();
    let now = new Date('2026-11-01T00:00:00.000Z');
    const local = await openLocalStore(dir, {
      access: 'read-write',
      waitMs: 2_000,
      now: () => now,
    });
    const retentionDays = 3;
    for (let day = 0; day < 10; day++) {
      now = new Date(Date.UTC(2026, 10, 1 + day));
      const at = now.toISOString();
      await local.store.appendRuns(
        [{ at, suite: null, result: result('kept', at) }],
        expiresAtFor(now, retentionDays),
      );
    }
    local.close();
    const db = openDatabase(join(dir, 'history.db'));
    const rows = db.prepare('SELECT run_key FROM run_history ORDER BY run_key').all();
    db.close();
    // Day 9's write removed everything that expired before it (older than 3 days).
    expect(rows.map((r) => r['run_key'])).toEqual(
      [6, 7, 8, 9].map((d) => `RUN#${new Date(Date.UTC(2026, 10, 1 + d)).toISOString()}#-`),
    );
  });
});

describe('state dir guard (SQLite locks)', () => {
  it('doctor waits for running commands; commands wait for doctor', async () => {
    const dir = await seeded();
    const run = shareStateDir(dir, 100);
    const reader = shareStateDir(dir, 100);
    expect(() => takeStateDir(dir, 200)).toThrow(/locked by a running healthcheck command/);
    run.release();
    reader.release();
    const doctor = takeStateDir(dir, 200);
    const error = await storeError(open(dir, 'read-write', 200));
    expect(error.problem).toBe('busy');
    expect(error.message).toContain('doctor');
    doctor.release();
    (await open(dir)).close();
  });

  it('many processes updating one check at once lose no write (SQLite serialises them)', async () => {
    const dir = await seeded();
    const store = new URL('../../lib/store/local-store.ts', import.meta.url).href;
    const writers = 6;
    const each = 25;
    // Each process: read the state, write version + 1 on that version, retry when it lost.
    const script = `
      const { openLocalStore } = await import(${JSON.stringify(store)});
      const local = await openLocalStore(${JSON.stringify(dir)}, { access: 'read-write', waitMs: 30000 });
      let won = 0;
      while (won < ${each}) {
        const current = (await local.store.getStates(['seeded-check'])).get('seeded-check');
        const next = { ...current, version: current.version + 1 };
        if (await local.store.putState(next, current.version)) won++;
      }
      local.close();
      console.log(won);
    `;
    const runs = await Promise.all(Array.from({ length: writers }, () => child(script)));
    expect(runs.map((r) => [r.code, r.out.trim()])).toEqual(
      Array.from({ length: writers }, () => [0, String(each)]),
    );
    const local = await open(dir, 'read-only');
    // Every win is a distinct version: no two writers ever wrote on the same one.
    expect((await local.store.getStates(['seeded-check'])).get('seeded-check')?.version).toBe(
      1 + writers * each,
    );
    local.close();
  });

  it('a process killed while holding the dir and a write transaction blocks nobody', async () => {
    const dir = await seeded();
    const store = new URL('../../lib/store/local-store.ts', import.meta.url).href;
    const sqlite = new URL('../../lib/store/sqlite.ts', import.meta.url).href;
    const killed = await child(`
      const { openLocalStore } = await import(${JSON.stringify(store)});
      const { openDatabase } = await import(${JSON.stringify(sqlite)});
      await openLocalStore(${JSON.stringify(dir)}, { access: 'read-write', waitMs: 1000 });
      const db = openDatabase(${JSON.stringify(join(dir, 'state.db'))});
      db.exec('BEGIN IMMEDIATE');
      db.prepare("UPDATE check_state SET version = 42").run();
      console.log('holding');
      process.kill(process.pid, 'SIGKILL');
    `);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.out).toContain('holding');
    // Doctor's exclusive lock and a writer's lock are free at once; the half-done write is gone.
    takeStateDir(dir, 100).release();
    const local = await open(dir, 'read-write', 100);
    expect((await local.store.getStates(['seeded-check'])).get('seeded-check')?.version).toBe(1);
    expect(await local.store.putState(state('seeded-check', 2), 1)).toBe(true);
    local.close();
  });
});
