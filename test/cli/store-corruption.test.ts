/**
 * A store damaged by hand, through the real CLI: every later command says so in one line with
 * its own exit code and the recovery command; `doctor` repairs it; afterwards runs work and what
 * the store kept is not paged again (only checks whose state was lost page again).
 */
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { flipBytes, offsetsOf, truncateTo } from '../support/damage.ts';
import { startFakePagerDuty } from '../support/fake-pagerduty.ts';
import { criticalDisk, pagingConfig, pagingEnv } from '../support/paging-config.ts';
import { runCli } from '../support/run-cli.ts';

// One temp root for the file (useTempDirs cleans up after each test, which concurrent tests share).
const root = await mkdtemp(join(tmpdir(), 'healthcheck-corruption-'));
const pd = await startFakePagerDuty();
afterAll(async () => {
  await pd.close();
  await rm(root, { recursive: true, force: true });
});

const checkIdsOf = (prefix: string) =>
  Array.from({ length: 12 }, (_, i) => `${prefix}-disk-${String(i).padStart(2, '0')}`);

/** One store and config per case; check ids carry the case's prefix, so cases run at once. */
async function setup(prefix: string) {
  const checkIds = checkIdsOf(prefix);
  const dir = join(root, prefix);
  await mkdir(dir);
  const config = join(dir, 'healthchecks.yaml');
  const stateDir = join(dir, 'state');
  // Always critical: every check pages once and then stays open.
  await writeFile(config, pagingConfig(checkIds.map(criticalDisk), pd.url));
  const cli = (...args: string[]) =>
    runCli([...args, '--state-dir', stateDir], { env: pagingEnv, timeoutMs: 90_000 });
  return {
    checkIds,
    stateDir,
    triggers: () => triggersOf(checkIds),

    run: () => cli('run', '--config', config, '--format', 'json'),
    status: () => cli('status', '--config', config),
    doctor: () => cli('doctor', '--format', 'json'),
  };
}

/** Trigger dedup keys PagerDuty accepted for these checks, sorted. */
function triggersOf(checkIds: readonly string[]): string[] {
  return pd.accepted
    .filter((e) => e['event_action'] === 'trigger' && checkIds.includes(String(e['dedup_key'])))
    .map((e) => String(e['dedup_key']))
    .sort();
}

const damages: Record<string, (stateDir: string) => void> = {
  // Every copy of the row: a freed page may still hold an older version of it.
  'one row flipped': (d) => {
    for (const at of offsetsOf(join(d, 'state.db'), '-disk-05"'))
      flipBytes(join(d, 'state.db'), at, 9);
  },
  'first page overwritten': (d) => flipBytes(join(d, 'state.db'), 0, 4096),
  'truncated to half': (d) => truncateTo(join(d, 'state.db'), 0.5),
  deleted: (d) => rmSync(join(d, 'state.db')),
  'history truncated': (d) => truncateTo(join(d, 'history.db'), 0.3),
};

describe.concurrent('a store damaged by hand, through the CLI', { timeout: 240_000 }, () => {
  for (const [index, [name, damage]] of Object.entries(damages).entries()) {
    it(`${name}: one line and exit 74, doctor repairs, nothing kept is paged again`, async () => {
      const t = await setup(`case${index}`);
      const first = await t.run();
      expect(first.code).toBe(2);
      expect(t.triggers()).toEqual(t.checkIds);

      damage(t.stateDir);
      for (const broken of [await t.run(), await t.status()]) {
        expect(broken.code).toBe(74);
        const lines = broken.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(t.stateDir);
        expect(lines[0]).toContain(`healthcheck doctor --state-dir ${t.stateDir}`);
        expect(broken.stderr).not.toContain('internal error');
      }

      const doctor = await t.doctor();
      expect(doctor.stderr).toBe('');
      expect(doctor.code).toBe(0);
      const report = JSON.parse(doctor.stdout) as {
        lostStates: string[];
        contents: { checks: number };
      };
      expect(report.contents.checks + report.lostStates.length).toBe(t.checkIds.length);

      const again = await t.run();
      expect(again.code).toBe(2);
      expect(again.stderr).not.toMatch(/^healthcheck run:/m);
      // Only what the store lost pages again; every check it kept stays quiet.
      expect(t.triggers()).toEqual([...t.checkIds, ...report.lostStates].sort());
      // status exits by the worst recorded status: every check is critical.
      expect((await t.status()).code).toBe(2);
    });
  }
});
