import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../lib/cli/io.ts';
import { main } from '../../lib/cli/main.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const ansiEscape = String.fromCharCode(27);

function io(cwd: string, env: Record<string, string> = {}, tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    stdout: { isTTY: tty, write: (t: string) => out.push(t) },
    stderr: { isTTY: false, write: (t: string) => err.push(t) },
    env,
    cwd,
  };
  return { io: value, out: () => out.join(''), err: () => err.join('') };
}

/** Two suites in Ho Chi Minh City time; `full` is always critical, `root` always ok. */
async function setup() {
  const dir = await tempDir();
  const configFile = join(dir, 'healthchecks.yaml');
  await writeFile(
    configFile,
    `timezone: Asia/Ho_Chi_Minh
suites:
  - id: morning
    schedule: "cron(0 8 * * ? *)"
    checks: [root, full]
checks:
  - id: root
    name: "Ổ đĩa gốc"
    type: disk
    paths: [/]
    warningPercent: 100
    criticalPercent: 100
  - id: full
    type: disk
    paths: [/]
    warningPercent: 0
    criticalPercent: 0
`,
  );
  const stateDir = join(dir, 'state');
  return { dir, configFile, stateDir };
}

describe('text output on-call reads', { timeout: 120_000 }, () => {
  it('status exits by the worst current status, counting never-run checks as unknown', async () => {
    const t = await setup();
    const before = io(t.dir);
    await main(
      ['run', '--config', t.configFile, '--state-dir', t.stateDir, '--check', 'root'],
      before.io,
    );
    // `full` never ran: unknown (3), not ok.
    const partial = io(t.dir);
    expect(
      await main(['status', '--config', t.configFile, '--state-dir', t.stateDir], partial.io),
    ).toBe(3);
    expect(partial.out()).toMatch(/NEVER RUN\s+full/);
    await main(['run', '--config', t.configFile, '--state-dir', t.stateDir], io(t.dir).io);
    const all = io(t.dir);
    expect(
      await main(['status', '--config', t.configFile, '--state-dir', t.stateDir], all.io),
    ).toBe(2);
    expect(all.out()).toContain('2 checks: 1 critical, 1 ok (exit 2)');
    const json = io(t.dir);
    expect(
      await main(
        ['status', '--config', t.configFile, '--state-dir', t.stateDir, '--format', 'json'],
        json.io,
      ),
    ).toBe(2);
    const doc = JSON.parse(json.out());
    expect(doc.exitCode).toBe(2);
    expect(doc.suites[0].nextRunAt).toMatch(/T01:00:00\.000Z$/);
  });

  it('shows times in the config zone with the offset, and the next run', async () => {
    const t = await setup();
    await main(['run', '--config', t.configFile, '--state-dir', t.stateDir], io(t.dir).io);
    const status = io(t.dir);
    await main(['status', '--config', t.configFile, '--state-dir', t.stateDir], status.io);
    const text = status.out();
    expect(text).toContain('Times in Asia/Ho_Chi_Minh (+07:00).');
    expect(text).toMatch(/morning\s+cron\(0 8 \* \* \? \*\)\s+\d{4}-\d\d-\d\d 08:00 \+07:00 \(in /);
    expect(text).not.toMatch(/\d\d:\d\d:\d\d(\.\d+)?Z/);
    const list = io(t.dir);
    await main(['list', '--config', t.configFile], list.io);
    expect(list.out()).toMatch(/root\s+disk\s+P3\s+morning\s+\d{4}-\d\d-\d\d 08:00 \+07:00/);
  });

  it('history reads --config for the zone, the name and a did-you-mean', async () => {
    const t = await setup();
    await main(['run', '--config', t.configFile, '--state-dir', t.stateDir], io(t.dir).io);
    const withConfig = io(t.dir);
    await main(
      ['history', '--check', 'root', '--config', t.configFile, '--state-dir', t.stateDir],
      withConfig.io,
    );
    expect(withConfig.out()).toMatch(
      /^root \(Ổ đĩa gốc\): 1 run from .* \+07:00 to .* \+07:00; times in Asia\/Ho_Chi_Minh/,
    );
    const typo = io(t.dir);
    expect(
      await main(
        ['history', '--check', 'rot', '--config', t.configFile, '--state-dir', t.stateDir],
        typo.io,
      ),
    ).toBe(64);
    expect(typo.err()).toContain('no check "rot" in the config; did you mean "root"?');
    // No --config and no healthchecks.yaml where it runs: UTC, and it says so.
    const elsewhere = await tempDir();
    const bare = io(elsewhere);
    await main(['history', '--check', 'root', '--state-dir', t.stateDir], bare.io);
    expect(bare.out()).toContain('+00:00');
    expect(bare.out()).toContain('times in UTC (pass --config for the config time zone)');
  });

  it('read-only commands refuse a state dir that does not exist and do not create it', async () => {
    const t = await setup();
    const typo = join(t.dir, 'stat');
    for (const args of [
      ['status', '--config', t.configFile],
      ['history', '--check', 'root', '--config', t.configFile],
      ['report', '--config', t.configFile, '--html', join(t.dir, 'page.html')],
    ]) {
      const r = io(t.dir);
      expect(await main([...args, '--state-dir', typo], r.io)).toBe(64);
      expect(r.err()).toContain(`no state directory at ${typo}`);
      expect(existsSync(typo)).toBe(false);
    }
    expect(existsSync(join(t.dir, 'page.html'))).toBe(false);
  });

  it('FORCE_COLOR=0 turns colour off on a terminal; FORCE_COLOR=1 forces it when piped', async () => {
    const t = await setup();
    const off = io(t.dir, { FORCE_COLOR: '0' }, true);
    await main(['run', '--config', t.configFile, '--state-dir', t.stateDir], off.io);
    expect(off.out()).toContain('CRITICAL');
    expect(off.out()).not.toContain(ansiEscape);
    const forced = io(t.dir, { FORCE_COLOR: '1' }, false);
    await main(['run', '--config', t.configFile, '--state-dir', t.stateDir], forced.io);
    expect(forced.out()).toContain(`${ansiEscape}[31mCRITICAL`);
  });

  it('report writes the page and the feed where asked and says what it wrote', async () => {
    const t = await setup();
    await main(['run', '--config', t.configFile, '--state-dir', t.stateDir], io(t.dir).io);
    const r = io(t.dir);
    const code = await main(
      [
        'report',
        '--config',
        t.configFile,
        '--state-dir',
        t.stateDir,
        '--html',
        'site/index.html',
        '--json',
        'api/feed.json',
      ],
      r.io,
    );
    expect(code).toBe(0);
    expect(r.out()).toBe(
      `wrote status page ${join(t.dir, 'site/index.html')} (2 checks, 1 open incident: full)\nwrote JSON feed ${join(t.dir, 'api/feed.json')}\n`,
    );
    const html = await readFile(join(t.dir, 'site/index.html'), 'utf8');
    expect(html).toContain('href="../api/feed.json"');
    expect(JSON.parse(await readFile(join(t.dir, 'api/feed.json'), 'utf8')).incidents).toEqual([
      'full',
    ]);
    const missing = io(t.dir);
    expect(
      await main(['report', '--config', t.configFile, '--state-dir', t.stateDir], missing.io),
    ).toBe(64);
    expect(missing.err()).toContain('--html FILE is required');
  });
});
