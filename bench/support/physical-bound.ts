import { fileURLToPath } from 'node:url';
import { median, round } from './stats.ts';
import { runTimed } from './timed-process.ts';

const probe = fileURLToPath(new URL('./handshake-probe.ts', import.meta.url));

export interface PhysicalBound {
  /** Bare `node -e 0`, spawn to exit. */
  readonly nodeStartMs: number;
  /** Every endpoint's TCP + TLS handshake at once, inside one process. */
  readonly handshakesMs: number;
  readonly boundMs: number;
}

/**
 * The least any checker written in Node could take for these endpoints: starting Node, plus
 * one handshake round trip with all of them in flight. Medians of `runs`.
 */
export async function physicalBound(
  ports: readonly number[],
  runs: number,
): Promise<PhysicalBound> {
  const starts: number[] = [];
  const handshakes: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const start = await runTimed(process.execPath, ['-e', '0'], { timeoutMs: 30_000 });
    const shake = await runTimed(process.execPath, [probe, '--ports', ports.join(',')], {
      timeoutMs: 120_000,
    });
    if (shake.code !== 0) throw new Error(`handshake probe failed: ${shake.stderr.slice(0, 300)}`);
    if (i === 0) continue; // warm-up
    starts.push(start.wallMs);
    handshakes.push((JSON.parse(shake.stdout) as { handshakesMs: number }).handshakesMs);
  }
  const nodeStartMs = round(median(starts), 0);
  const handshakesMs = round(median(handshakes), 0);
  return { nodeStartMs, handshakesMs, boundMs: nodeStartMs + handshakesMs };
}
