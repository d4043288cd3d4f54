/**
 * One-time import of an old state dir (embedded DynamoDB: dynalite on LevelDB) into the SQLite
 * store: every STATE item keeps its version, token, alert state and outbox (so nothing open is
 * paged again and nothing pending is dropped), and unexpired history keeps its expiry. The old
 * files are moved aside, not deleted. Loaded only when such a dir is found: it brings dynalite
 * and the AWS SDK with it.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import type { RunRecord, StoredCheckState } from '../alerting/result-store.ts';
import { parseStoredState } from '../alerting/stored-state.ts';
import {
  asideStamp,
  importStartedName,
  legacyDir,
  legacyLockName,
  needsLegacyImport,
} from './legacy-store.ts';
import { openLocalStore } from './local-store.ts';
import { historyFile, stateFile } from './sqlite-schema.ts';
import { takeStateDir } from './state-dir-guard.ts';
import { StoreDamagedError } from './store-errors.ts';
import { readMarker, writeMarker } from './store-marker.ts';
import { defaultTableName, tableLayout } from './table-layout.ts';

export interface LegacyItems {
  readonly states: StoredCheckState[];
  readonly runs: { record: RunRecord; expiresAt: number }[];
  /** Set when reading stopped early (damaged files): what was read is still returned. */
  readonly error?: string;
}

const { partitionKey, sortKey, ttlAttribute, stateSortKey, runSortKeyPrefix } = tableLayout;

/** Every item of the old results table, as far as the files can be read. */
export async function readLegacyItems(dir: string): Promise<LegacyItems> {
  const states: StoredCheckState[] = [];
  const runs: LegacyItems['runs'] = [];
  const server = dynalite({ path: dir, createTableMs: 0 });
  let client: DynamoDBClient | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'local',
      credentials: { accessKeyId: 'import', secretAccessKey: 'import' },
      maxAttempts: 1,
    });
    const documents = DynamoDBDocumentClient.from(client);
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new ScanCommand({
          TableName: defaultTableName,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const { [partitionKey]: _pk, [sortKey]: sk, [ttlAttribute]: expires, ...rest } = item;
        // Through the core's parser: an old item is migrated (schema 1's token becomes slots).
        if (sk === stateSortKey) states.push(parseStoredState(rest, String(rest['check'])));
        else if (typeof sk === 'string' && sk.startsWith(runSortKeyPrefix)) {
          runs.push({
            record: rest as unknown as RunRecord,
            expiresAt: typeof expires === 'number' ? expires : 0,
          });
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { states, runs };
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return { states, runs };
    return { states, runs, error: (error as Error).message || String(error) };
  } finally {
    client?.destroy();
    if (server.listening) await new Promise<void>((r) => server.close(() => r()));
  }
}

export interface ImportOptions {
  readonly waitMs: number;
  /** Doctor: import what could be read even when reading stopped early. */
  readonly allowPartial?: boolean;
  /** The caller already holds the state dir exclusively (doctor). */
  readonly guarded?: boolean;
  readonly now?: () => Date;
}

export interface ImportSummary {
  readonly states: number;
  readonly runs: number;
  readonly movedTo: string;
  readonly error?: string;
}

/** Writes items into a new SQLite store in `dir` (which must not have one yet). */
export async function writeItems(dir: string, items: LegacyItems, waitMs: number): Promise<void> {
  const local = await openLocalStore(dir, { access: 'read-write', waitMs });
  try {
    for (const state of items.states) {
      await local.store.putState(state, undefined);
    }
    const byExpiry = new Map<number, RunRecord[]>();
    for (const { record, expiresAt } of items.runs) {
      byExpiry.set(expiresAt, [...(byExpiry.get(expiresAt) ?? []), record]);
    }
    for (const [expiresAt, records] of byExpiry) await local.store.appendRuns(records, expiresAt);
  } finally {
    local.close();
  }
}

/** Imports `<stateDir>/dynamodb` (see legacy-store.ts); undefined when another process did it first. */
export async function importLegacyStore(
  stateDir: string,
  options: ImportOptions,
): Promise<ImportSummary | undefined> {
  const guard = options.guarded ? undefined : takeStateDir(stateDir, options.waitMs);
  try {
    if (!needsLegacyImport(stateDir)) return undefined;
    const source = legacyDir(stateDir);
    const started = join(stateDir, importStartedName);
    if (existsSync(started) && !options.allowPartial) {
      throw new StoreDamagedError(
        source,
        stateDir,
        'importing this old-format store crashed on an earlier run',
      );
    }
    writeFileSync(started, `${new Date().toISOString()} pid ${process.pid}\n`);
    const items = await readLegacyItems(source);
    if (items.error && !options.allowPartial) {
      throw new StoreDamagedError(
        source,
        stateDir,
        `the old-format store cannot be read for import: ${items.error}`,
      );
    }
    // Built beside the dir and moved in whole, so a crash never leaves half a store in place.
    const staging = join(stateDir, 'import-staging');
    rmSync(staging, { recursive: true, force: true });
    await writeItems(staging, items, options.waitMs);
    for (const file of [stateFile.file, historyFile.file]) {
      renameSync(join(staging, file), join(stateDir, file));
    }
    rmSync(staging, { recursive: true, force: true });
    const at = options.now?.() ?? new Date();
    const movedTo = `${source}.imported-${asideStamp(at)}`;
    renameSync(source, movedTo);
    rmSync(join(stateDir, legacyLockName), { force: true });
    writeMarker(stateDir, {
      store: 'sqlite',
      files: [stateFile.file, historyFile.file],
      createdAt: readMarker(stateDir)?.createdAt ?? at.toISOString(),
      importedFrom: movedTo,
      importedAt: at.toISOString(),
    });
    rmSync(started, { force: true });
    return {
      states: items.states.length,
      runs: items.runs.length,
      movedTo,
      ...(items.error ? { error: items.error } : {}),
    };
  } finally {
    guard?.release();
  }
}
