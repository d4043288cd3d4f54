import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { countReport, healthcheckRunArgs, type InstalledCli } from './healthcheck-cli.ts';
import { pluginStatuses } from './nagios-plugins.ts';
import { median, round } from './stats.ts';
import { runTimed, type TimedRun } from './timed-process.ts';

/** One way of checking the same N targets: the CLI, or a plugin run the way cron runs it. */
export interface Contender {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Targets found ok in this run's output; the run is only valid when it is all of them. */
  readonly okCount: (run: TimedRun) => number;
  readonly describeFailure: (run: TimedRun) => string;
  /** Where the time of one run went (start-up, checks, after), when the output tells. */
  readonly phases?: (run: TimedRun) => Record<string, number> | undefined;
  /** Runs before each run, untimed (e.g. emptying a state dir). */
  readonly before?: () => void;
}

export interface ContenderResult {
  readonly name: string;
  readonly targets: number;
  readonly samplesMs: number[];
  readonly medianMs: number;
  /** Fewest targets found ok in any measured run (should equal `targets`). */
  readonly minOk: number;
  readonly problems: string[];
  /** Median of each phase over the measured runs. */
  readonly phasesMs?: Record<string, number>;
}

/** The installed CLI checking every target of `configPath` in one process. */
export function healthcheckContender(
  name: string,
  cli: InstalledCli,
  configPath: string,
  stateDir: string,
  options: { env?: NodeJS.ProcessEnv; before?: () => void } = {},
): Contender {
  return {
    name,
    env: { ...cli.env, ...options.env, HEALTHCHECK_TIMINGS: '1' },
    command: cli.bin,
    args: healthcheckRunArgs(configPath, stateDir),
    okCount: (run) => countReport(run.stdout)?.byStatus['ok'] ?? 0,
    phases: (run) => timingPhases(run) ?? reportPhases(run),
    ...(options.before ? { before: options.before } : {}),
    describeFailure: (run) => {
      const counts = countReport(run.stdout);
      if (!counts) return `exit ${run.code}: ${run.stderr.trim().slice(0, 300)}`;
      return `exit ${run.code}: ${JSON.stringify(counts.byStatus)} e.g. ${JSON.stringify(counts.examples)}`;
    },
  };
}

/**
 * The CLI's own account (HEALTHCHECK_TIMINGS, lib/cli/phase-timings.ts), plus `exit`: from the
 * timings line to the process's end, as the scheduler sees it.
 */
function timingPhases(run: TimedRun): Record<string, number> | undefined {
  const line = /^healthcheck: timings (\{.*\})$/m.exec(run.stderr)?.[1];
  if (!line) return undefined;
  const { at, ...phases } = JSON.parse(line) as Record<string, number>;
  return { ...phases, exit: Math.max(0, run.wallMs - (at ?? 0)) };
}

/**
 * Splits a CLI run by the report's own timestamps: start-up (spawn to the run's start: Node,
 * modules, config, store), checks (the run), and after (recording, alerts, exit).
 */
function reportPhases(run: TimedRun): Record<string, number> | undefined {
  try {
    const report = JSON.parse(run.stdout) as { startedAt: string; finishedAt: string };
    const started = Date.parse(report.startedAt) - run.spawnedAt;
    const finished = Date.parse(report.finishedAt) - run.spawnedAt;
    return { startup: started, checks: finished - started, after: run.wallMs - finished };
  } catch {
    return undefined;
  }
}

function pluginFailure(run: TimedRun): string {
  const statuses = pluginStatuses(run.stdout);
  const bad = run.stdout.split('\n').find((l) => l.trim() && !/\bOK\b/.test(l));
  return `exit ${run.code}, ${statuses.length} status lines${bad ? `, e.g. "${bad.slice(0, 200)}"` : ''}${run.stderr ? `; stderr: ${run.stderr.slice(0, 200)}` : ''}`;
}

const pluginOk = (run: TimedRun) => pluginStatuses(run.stdout).filter((s) => s === 'ok').length;

/** One plugin process per target, one after another: a cron job with a shell loop. */
export function sequentialPluginContender(
  name: string,
  plugin: string,
  argsPerTarget: readonly (readonly string[])[],
  workDir: string,
): Contender {
  const script = path.join(workDir, `${name.replace(/[^a-z0-9]+/gi, '-')}.sh`);
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  writeFileSync(
    script,
    `${argsPerTarget.map((args) => [plugin, ...args].map(quote).join(' ')).join('\n')}\n`,
  );
  return {
    name,
    command: 'bash',
    args: [script],
    okCount: pluginOk,
    describeFailure: pluginFailure,
  };
}

/** One plugin process per target, `parallel` at a time: `xargs -P 8 -L 1 check_...`. */
export function xargsPluginContender(
  name: string,
  plugin: string,
  argsPerTarget: readonly (readonly string[])[],
  parallel: number,
): Contender {
  return {
    name,
    command: 'xargs',
    args: ['-P', String(parallel), '-L', '1', plugin],
    input: `${argsPerTarget.map((args) => args.join(' ')).join('\n')}\n`,
    okCount: pluginOk,
    describeFailure: pluginFailure,
  };
}

/**
 * Runs each contender once to warm caches, then `runs` rounds with the contenders interleaved so a
 * slow spell on the machine hits all of them alike. Reports the median wall time of each.
 */
export async function compareContenders(
  contenders: readonly Contender[],
  targets: number,
  runs: number,
  timeoutMs: number,
): Promise<ContenderResult[]> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  const minOk = new Map<string, number>(contenders.map((c) => [c.name, targets]));
  const problems = new Map<string, string[]>(contenders.map((c) => [c.name, []]));
  const phases = new Map<string, Record<string, number>[]>(contenders.map((c) => [c.name, []]));
  for (let round_ = 0; round_ <= runs; round_++) {
    for (const contender of contenders) {
      contender.before?.();
      const run = await runTimed(contender.command, contender.args, {
        timeoutMs,
        ...(contender.input !== undefined ? { input: contender.input } : {}),
        ...(contender.env ? { env: contender.env } : {}),
      });
      const ok = contender.okCount(run);
      const issues = problems.get(contender.name) ?? [];
      if (run.timedOut) issues.push(`timed out after ${timeoutMs} ms`);
      else if (ok < targets) issues.push(`${ok}/${targets} ok; ${contender.describeFailure(run)}`);
      if (round_ === 0) continue;
      samples.get(contender.name)?.push(round(run.wallMs, 1));
      const split = contender.phases?.(run);
      if (split) phases.get(contender.name)?.push(split);
      minOk.set(contender.name, Math.min(minOk.get(contender.name) ?? targets, ok));
    }
  }
  return contenders.map((c) => {
    const s = samples.get(c.name) ?? [];
    const split = phases.get(c.name) ?? [];
    const phaseNames = [...new Set(split.flatMap((p) => Object.keys(p)))];
    return {
      ...(split.length > 0
        ? {
            phasesMs: Object.fromEntries(
              phaseNames.map((name) => [name, round(median(split.map((p) => p[name] ?? 0)), 0)]),
            ),
          }
        : {}),
      name: c.name,
      targets,
      samplesMs: s,
      medianMs: round(median(s), 1),
      minOk: minOk.get(c.name) ?? 0,
      problems: [...new Set(problems.get(c.name))].slice(0, 3),
    };
  });
}
