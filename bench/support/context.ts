import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type InstalledCli, installCli } from './healthcheck-cli.ts';

export interface BenchContext {
  /** Scratch space for configs, certificates and state; removed by the runner at the end. */
  readonly workDir: string;
  /** Measured runs per contender (after one warm-up); the median is reported. */
  readonly runs: number;
  /** `healthcheck` installed as README tells cron users (once per bench session). */
  readonly cli: () => Promise<InstalledCli>;
}

export function defaultContext(): BenchContext {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'healthcheck-bench-'));
  let installed: Promise<InstalledCli> | undefined;
  return {
    workDir,
    runs: Number.isInteger(runs) && runs > 0 ? runs : 3,
    cli: () => {
      installed ??= installCli(workDir);
      return installed;
    },
  };
}
