import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  type Contender,
  type ContenderResult,
  compareContenders,
  healthcheckContender,
  sequentialPluginContender,
  xargsPluginContender,
} from './compare.ts';
import type { BenchContext } from './context.ts';
import type { InstalledCli } from './healthcheck-cli.ts';
import { findPlugin, pluginInstallHint } from './nagios-plugins.ts';
import type { Cell } from './report.ts';
import { ratio } from './stats.ts';

export const xargsParallel = 8;

/** The same N targets checked by `healthcheck run` and by one monitoring plugin. */
export interface ThroughputCase {
  readonly label: string;
  readonly targets: number;
  /** The healthcheck config (checked whole, no --suite). */
  readonly config: Record<string, unknown>;
  readonly plugin: string;
  readonly pluginArgs: readonly (readonly string[])[];
  readonly runs: number;
  readonly timeoutMs: number;
  /** More ways to run the CLI on the same targets (another config, another environment). */
  readonly variants?: readonly HealthcheckVariant[];
}

export interface HealthcheckVariant {
  readonly name: string;
  /** @default the case's config */
  readonly config?: Record<string, unknown>;
  readonly env?: NodeJS.ProcessEnv;
  /** An empty state dir before every run (a first run), instead of one kept between runs. */
  readonly fresh?: boolean;
  /** Fills the state dir before the first run (e.g. 30 days of history). */
  readonly seed?: (stateDir: string, configPath: string, cli: InstalledCli) => Promise<void>;
}

export interface ThroughputOutcome {
  readonly label: string;
  readonly results: ContenderResult[];
  readonly skipped: string[];
  readonly byName: (name: string) => ContenderResult | undefined;
}

export const contenderNames = {
  healthcheck: 'healthcheck run',
  sequential: 'plugin, sequential',
  xargs: `plugin, xargs -P ${xargsParallel}`,
} as const;

export async function runThroughputCase(
  spec: ThroughputCase,
  context: BenchContext,
): Promise<ThroughputOutcome> {
  const cli = await context.cli();
  const dir = path.join(context.workDir, spec.label.replace(/[^a-z0-9]+/gi, '-'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const writeConfig = (name: string, config: Record<string, unknown>) => {
    const file = path.join(dir, `${name}.yaml`);
    // No anchors/aliases: a generated config repeats the same values on purpose.
    writeFileSync(file, stringify(config, { aliasDuplicateObjects: false }));
    return file;
  };
  const mainConfig = writeConfig('healthchecks', spec.config);
  const contenders: Contender[] = [
    healthcheckContender(contenderNames.healthcheck, cli, mainConfig, path.join(dir, 'state')),
  ];
  for (const [i, variant] of (spec.variants ?? []).entries()) {
    const stateDir = path.join(dir, `state-${i}`);
    const configPath = variant.config ? writeConfig(`variant-${i}`, variant.config) : mainConfig;
    await variant.seed?.(stateDir, configPath, cli);
    contenders.push(
      healthcheckContender(variant.name, cli, configPath, stateDir, {
        ...(variant.env ? { env: variant.env } : {}),
        ...(variant.fresh
          ? { before: () => rmSync(stateDir, { recursive: true, force: true }) }
          : {}),
      }),
    );
  }
  const skipped: string[] = [];
  const plugin = findPlugin(spec.plugin);
  if (!plugin) {
    skipped.push(`${spec.label}: ${spec.plugin} not found; ${pluginInstallHint}`);
  } else {
    contenders.push(
      sequentialPluginContender(contenderNames.sequential, plugin, spec.pluginArgs, dir),
    );
    if (spec.targets > 1) {
      contenders.push(
        xargsPluginContender(contenderNames.xargs, plugin, spec.pluginArgs, xargsParallel),
      );
    }
  }
  const results = await compareContenders(contenders, spec.targets, spec.runs, spec.timeoutMs);
  return {
    label: spec.label,
    results,
    skipped,
    byName: (name) => results.find((r) => r.name === name),
  };
}

export const throughputColumns = [
  'case',
  'contender',
  'targets',
  'median ms',
  'runs (ms)',
  'ok',
  'x healthcheck',
];

/** Rows for one case; "x healthcheck" = contender time / healthcheck time (>1: healthcheck faster). */
export function throughputRows(outcome: ThroughputOutcome): Cell[][] {
  const base = outcome.byName(contenderNames.healthcheck)?.medianMs;
  return outcome.results.map((r) => [
    outcome.label,
    r.name,
    r.targets,
    r.medianMs,
    r.samplesMs.map((s) => Math.round(s)).join(' / '),
    `${r.minOk}/${r.targets}`,
    ratio(r.medianMs, base),
  ]);
}

export function throughputProblems(outcome: ThroughputOutcome): string[] {
  return outcome.results.flatMap((r) => r.problems.map((p) => `${outcome.label}, ${r.name}: ${p}`));
}

/** The CLI's phases (lib/cli/phase-timings.ts), medians over the measured runs. */
export const phases = [
  'startup',
  'config',
  'storeOpen',
  'prepare',
  'checks',
  'alerting',
  'output',
  'exit',
] as const;

export const phaseColumns = ['case', 'contender', ...phases.map((p) => `${p} ms`)];

/**
 * Where each CLI run's time went: start-up (process start to the command: Node, the bundle),
 * config, opening the store, prepare (reading alert state, loading check code), the checks,
 * alerting (history, alert state, delivery), output, exit (flush and process exit).
 */
export function phaseRows(outcome: ThroughputOutcome): Cell[][] {
  return outcome.results
    .filter((r) => r.phasesMs)
    .map((r) => [outcome.label, r.name, ...phases.map((p) => r.phasesMs?.[p] ?? null)]);
}
