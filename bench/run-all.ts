/**
 * `npm run bench`: every benchmark, one after another, each printed as a table and written as
 * JSON to bench/results/<section>.json. Never part of `npm test`. A section whose dependency is
 * missing (a plugin binary, a check type, a bundle) says "skipped: <why>" and the rest go on.
 *
 *   npm run bench                       # all sections, 3 measured runs each (median reported)
 *   BENCH_RUNS=5 npm run bench          # more runs
 *   npm run bench -- --only tls,disk    # some sections (also: status-page)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runCostModelSection } from './cost-model.ts';
import { runDiskThroughput } from './disk-throughput.ts';
import { runKubernetesScale, runTlsConcurrency } from './external-sections.ts';
import { runLambdaColdStart } from './lambda-cold-start.ts';
import { runMaintenanceWindows } from './maintenance-windows.ts';
import { runPgsqlThroughput } from './pgsql-throughput.ts';
import { runStatusPageBench } from './status-page.ts';
import { type BenchContext, defaultContext } from './support/context.ts';
import { buildCli } from './support/healthcheck-cli.ts';
import { describeMachine, machineInfo } from './support/machine.ts';
import {
  emptySection,
  renderSection,
  resultsDir,
  type SectionResult,
  writeSectionJson,
} from './support/report.ts';
import { runTlsThroughput } from './tls-throughput.ts';

type Section = (context: BenchContext) => Promise<SectionResult>;

const sections: Record<string, Section> = {
  tls: runTlsThroughput,
  pgsql: runPgsqlThroughput,
  disk: runDiskThroughput,
  'tls-concurrency': runTlsConcurrency,
  kubernetes: runKubernetesScale,
  lambda: runLambdaColdStart,
  cost: runCostModelSection,
  maintenance: runMaintenanceWindows,
  'status-page': runStatusPageBench,
};

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const chosen = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(sections);
const unknown = chosen.filter((name) => !(name in sections));
if (unknown.length > 0) {
  console.error(
    `unknown section(s): ${unknown.join(', ')}; known: ${Object.keys(sections).join(', ')}`,
  );
  process.exit(64);
}

const context = defaultContext();
const machine = machineInfo();
console.log(`healthcheck benchmarks on ${describeMachine(machine)}`);
console.log(`${machine.date}; ${context.runs} measured runs per contender after one warm-up\n`);

const build = await buildCli();
console.log(`${build.message}\n`);
if (!build.ok) process.exit(1);

const results: SectionResult[] = [];
try {
  for (const name of chosen) {
    const section = sections[name];
    if (!section) continue;
    let result: SectionResult;
    try {
      result = await section(context);
    } catch (error) {
      result = emptySection(name, name);
      result.skipped.push(`failed: ${(error as Error).stack ?? String(error)}`);
    }
    results.push(result);
    process.stdout.write(`${renderSection(result)}\n`);
    console.log(`(written to ${writeSectionJson(result)})\n`);
  }
} finally {
  rmSync(context.workDir, { recursive: true, force: true });
}

mkdirSync(resultsDir, { recursive: true });
const summary = new URL('summary.json', resultsDir);
writeFileSync(summary, `${JSON.stringify({ machine, runs: context.runs, results }, null, 2)}\n`);
const missed = results.flatMap((r) => r.targets.filter((t) => t.met === false));
console.log(`summary: ${summary.pathname}`);
if (missed.length > 0) {
  console.log(`targets missed: ${missed.map((t) => `${t.name} (${t.measured})`).join('; ')}`);
}
