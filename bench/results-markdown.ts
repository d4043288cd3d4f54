/**
 * Prints bench/results/summary.json (from the last `npm run bench`) as the Markdown tables the
 * README's "Benchmarks" section shows, so the README carries measured numbers, not retyped ones.
 *
 *   node bench/results-markdown.ts
 */
import { readFileSync } from 'node:fs';
import type { MachineInfo } from './support/machine.ts';
import { type BenchTable, type Cell, type SectionResult, targetsTable } from './support/report.ts';

function text(cell: Cell): string {
  if (cell === null) return '-';
  return String(cell).replaceAll('|', '\\|');
}

function markdownTable(table: BenchTable): string {
  const header = `| ${table.columns.join(' | ')} |`;
  const rule = `| ${table.columns.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`;
  const rows = table.rows.map((row) => `| ${row.map(text).join(' | ')} |`);
  return [`**${table.title}**`, '', header, rule, ...rows].join('\n');
}

const summary = JSON.parse(
  readFileSync(new URL('./results/summary.json', import.meta.url), 'utf8'),
) as { machine: MachineInfo; runs: number; results: SectionResult[] };

const m = summary.machine;
const out = [
  `Measured ${m.date.slice(0, 10)} on ${m.nproc} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.platform}; median of ${summary.runs} runs after a warm-up.`,
];
for (const result of summary.results) {
  out.push(`#### ${result.title}`);
  for (const table of result.tables) out.push(markdownTable(table));
  if (result.targets.length > 0) out.push(markdownTable(targetsTable(result, '**no**')));
  for (const reason of result.skipped) out.push(`Skipped: ${reason}`);
}
process.stdout.write(`${out.join('\n\n')}\n`);
