/**
 * Sections measured by scripts other issues own (`bench/tls-concurrency.ts`,
 * `bench/kubernetes-pods-scale.ts`): run in their own process, their figures folded into the
 * report, "skipped" while they do not exist. Their own JSON files are left as they wrote them; the
 * runner's copy goes under another name.
 */
import type { BenchContext } from './support/context.ts';
import { runExternalBench } from './support/external-bench.ts';
import { type Cell, emptySection, type SectionResult } from './support/report.ts';

async function externalSection(
  section: string,
  title: string,
  script: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<SectionResult> {
  const result = emptySection(section, title);
  const outcome = await runExternalBench(script, args, timeoutMs);
  if (outcome.status === 'missing') {
    result.skipped.push(`${script} does not exist yet`);
    return result;
  }
  if (outcome.status === 'failed') {
    const why = outcome.run.timedOut
      ? `timed out after ${timeoutMs} ms`
      : `exit ${outcome.run.code}`;
    result.skipped.push(`${script} failed (${why}): ${outcome.run.stderr.trim().slice(-500)}`);
    return result;
  }
  result.data['output'] = outcome.run.stdout;
  const table = outcome.json === undefined ? undefined : tableFromJson(outcome.json);
  if (outcome.json !== undefined) result.data['figures'] = outcome.json;
  if (table) result.tables.push({ title: `From ${script}`, ...table });
  else result.notes.push(`output of ${script}:\n${outcome.run.stdout.trimEnd()}`);
  return result;
}

function cell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.length > 80 ? `${value.slice(0, 77)}...` : value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ');
  }
  return JSON.stringify(value);
}

/**
 * A table from the script's JSON: its first array of objects (rows), or its top-level figures as
 * one row. The scripts are others' to shape; this only has to show what they measured.
 */
function tableFromJson(json: unknown): { columns: string[]; rows: Cell[][] } | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  const rows = Object.values(record).find(
    (v): v is Record<string, unknown>[] =>
      Array.isArray(v) && v.length > 0 && v.every((r) => typeof r === 'object' && r !== null),
  );
  const objects = rows ?? [record];
  const columns = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  return { columns, rows: objects.map((o) => columns.map((c) => cell(o[c]))) };
}

export function runTlsConcurrency(_context: BenchContext): Promise<SectionResult> {
  return externalSection(
    'issue3-tls-concurrency',
    'TLS checks run concurrently, not sequentially (issue 3)',
    'bench/tls-concurrency.ts',
    [],
    300_000,
  );
}

export function runKubernetesScale(_context: BenchContext): Promise<SectionResult> {
  return externalSection(
    'issue4-kubernetes-pods-scale',
    'Scale: 10,000 pods, 500 failing (issue 4)',
    'bench/kubernetes-pods-scale.ts',
    [],
    600_000,
  );
}
