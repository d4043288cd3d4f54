/**
 * Local disk: `healthcheck run` with disk checks versus Debian's `check_disk`. With one check this
 * is a start-up race that a small C binary wins; it is reported anyway, with the 200-check case.
 */
import { type BenchContext, defaultContext } from './support/context.ts';
import { emptySection, renderSection, type SectionResult } from './support/report.ts';
import {
  contenderNames,
  phaseColumns,
  phaseRows,
  runThroughputCase,
  throughputColumns,
  throughputProblems,
  throughputRows,
} from './support/throughput.ts';

const paths = ['/', '/tmp'];

function diskCase(targets: number, runs: number) {
  return {
    label: `disk x${targets}`,
    targets,
    config: {
      timezone: 'UTC',
      checks: Array.from({ length: targets }, (_, i) => ({
        id: `disk-${i}`,
        type: 'disk',
        source: 'local',
        paths,
        warningPercent: 70,
        criticalPercent: 80,
      })),
    },
    plugin: 'check_disk',
    // Same thresholds as the check: warn at 70% used (30% free), critical at 80% (20% free).
    pluginArgs: Array.from({ length: targets }, () => [
      '-w',
      '30%',
      '-c',
      '20%',
      ...paths.flatMap((p) => ['-p', p]),
    ]),
    runs,
    timeoutMs: 120_000,
  };
}

export async function runDiskThroughput(context: BenchContext): Promise<SectionResult> {
  const result = emptySection('disk-throughput', 'Local disk: healthcheck vs check_disk');
  const rows = [];
  const phases = [];
  for (const targets of [1, 200]) {
    const outcome = await runThroughputCase(diskCase(targets, context.runs), context);
    rows.push(...throughputRows(outcome));
    phases.push(...phaseRows(outcome));
    result.skipped.push(...outcome.skipped);
    result.notes.push(...throughputProblems(outcome));
    result.data[outcome.label] = outcome.results;
    if (targets === 1) {
      const hc = outcome.byName(contenderNames.healthcheck);
      const plugin = outcome.byName(contenderNames.sequential);
      if (hc && plugin && hc.medianMs > plugin.medianMs) {
        result.notes.push(
          `one disk check: check_disk (${plugin.medianMs} ms) beats the CLI (${hc.medianMs} ms); that gap is Node's and the CLI's start-up, paid once per run however many checks follow`,
        );
      }
    }
  }
  result.tables.push(
    { title: 'Wall time', columns: throughputColumns, rows },
    { title: 'Where healthcheck run spends its time', columns: phaseColumns, rows: phases },
  );
  return result;
}

if (import.meta.main) {
  process.stdout.write(renderSection(await runDiskThroughput(defaultContext())));
}
