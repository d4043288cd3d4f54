import { mkdirSync, writeFileSync } from 'node:fs';
import { machineInfo } from './machine.ts';

export type Cell = string | number | null;

export interface BenchTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

/** A target from the issue, with what was measured against it; `met: null` = not measured. */
export interface TargetResult {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | null;
}

export interface SectionResult {
  readonly section: string;
  readonly title: string;
  readonly tables: BenchTable[];
  readonly targets: TargetResult[];
  /** Parts that could not run here, each with the reason (a missing plugin, check type, bundle). */
  readonly skipped: string[];
  readonly notes: string[];
  /** Raw figures (every sample), kept in the JSON for anyone re-deriving the table. */
  readonly data: Record<string, unknown>;
}

export function emptySection(section: string, title: string): SectionResult {
  return { section, title, tables: [], targets: [], skipped: [], notes: [], data: {} };
}

function cellText(cell: Cell): string {
  if (cell === null) return '-';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '-';
  return cell;
}

export function renderTable(table: BenchTable): string {
  const texts = [table.columns, ...table.rows.map((row) => row.map(cellText))];
  const widths = table.columns.map((_, i) => Math.max(...texts.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [table.title, line(texts[0] ?? []), rule, ...texts.slice(1).map(line)].join('\n');
}

/** A section's targets as a table; `missed` is how a missed target is shown. */
export function targetsTable(result: SectionResult, missed: string): BenchTable {
  return {
    title: 'Targets',
    columns: ['target', 'wanted', 'measured', 'met'],
    rows: result.targets.map((t) => [
      t.name,
      t.target,
      t.measured,
      t.met === null ? 'n/a' : t.met ? 'yes' : missed,
    ]),
  };
}

export function renderSection(result: SectionResult): string {
  const parts = [`== ${result.title} ==`];
  for (const table of result.tables) parts.push(renderTable(table));
  if (result.targets.length > 0) parts.push(renderTable(targetsTable(result, 'NO')));
  for (const reason of result.skipped) parts.push(`skipped: ${reason}`);
  for (const note of result.notes) parts.push(`note: ${note}`);
  return `${parts.join('\n\n')}\n`;
}

export const resultsDir = new URL('../results/', import.meta.url);

/** Writes the section's figures, with the machine they were measured on, to bench/results/. */
export function writeSectionJson(result: SectionResult): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = new URL(`${result.section}.json`, resultsDir);
  writeFileSync(file, `${JSON.stringify({ machine: machineInfo(), ...result }, null, 2)}\n`);
  return file.pathname;
}
