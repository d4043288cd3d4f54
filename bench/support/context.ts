import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BenchContext {
  /** Scratch space for configs, certificates and state; removed by the runner at the end. */
  readonly workDir: string;
  /** Measured runs per contender (after one warm-up); the median is reported. */
  readonly runs: number;
}

export function defaultContext(): BenchContext {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  return {
    workDir: mkdtempSync(path.join(os.tmpdir(), 'healthcheck-bench-')),
    runs: Number.isInteger(runs) && runs > 0 ? runs : 3,
  };
}
