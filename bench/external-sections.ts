/**
 * Sections measured by scripts other issues own (`bench/tls-concurrency.ts`,
 * `bench/kubernetes-pods-scale.ts`): run in their own process, their figures folded into the
 * report, "skipped" while they do not exist.
 */
import type { BenchContext } from './support/context.ts';
import { runExternalBench } from './support/external-bench.ts';
import { emptySection, type SectionResult } from './support/report.ts';

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
  if (outcome.json !== undefined) result.data['figures'] = outcome.json;
  result.notes.push(`output of ${script}:\n${outcome.run.stdout.trimEnd()}`);
  return result;
}

export function runTlsConcurrency(_context: BenchContext): Promise<SectionResult> {
  return externalSection(
    'tls-concurrency',
    'TLS checks run concurrently, not sequentially (issue 3)',
    'bench/tls-concurrency.ts',
    [],
    300_000,
  );
}

export function runKubernetesScale(_context: BenchContext): Promise<SectionResult> {
  return externalSection(
    'kubernetes-pods-scale',
    'Scale: 10,000 pods, 500 failing (issue 4)',
    'bench/kubernetes-pods-scale.ts',
    [],
    600_000,
  );
}
