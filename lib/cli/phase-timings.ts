/**
 * Where one `healthcheck run` spends its time, for `npm run bench`: with HEALTHCHECK_TIMINGS=1 the
 * command ends by writing one line to stderr, `healthcheck: timings {...}`, in milliseconds:
 * startup (process start to the command: Node, the bundle), config, storeOpen, prepare (read
 * the alert state, load the check types' code),
 * checks, alerting (history, alert state, delivery), output, and `at`, the time since process
 * start when the line was written (the rest, up to the process's exit, is exit).
 */
import type { CliIo } from './io.ts';

export class PhaseTimings {
  readonly #enabled: boolean;
  readonly #phases: Record<string, number> = {};
  #last: number;

  constructor(env: CliIo['env']) {
    this.#enabled = env['HEALTHCHECK_TIMINGS'] === '1';
    this.#last = performance.now();
    this.#phases['startup'] = Math.round(this.#last);
  }

  /** Ends the phase running since the last mark. */
  mark(phase: string): void {
    const now = performance.now();
    this.#phases[phase] = Math.round(now - this.#last);
    this.#last = now;
  }

  /**
   * Ends a span that contains the checks: split at the checks' own start and end (wall-clock
   * times from the run report) into `before`, `checks` and `after`.
   */
  split(before: string, checks: { startedAt: string; finishedAt: string }, after: string): void {
    const now = performance.now();
    const started = Date.parse(checks.startedAt) - performance.timeOrigin;
    const finished = Date.parse(checks.finishedAt) - performance.timeOrigin;
    this.#phases[before] = Math.round(Math.max(0, started - this.#last));
    this.#phases['checks'] = Math.round(Math.max(0, finished - started));
    this.#phases[after] = Math.round(Math.max(0, now - finished));
    this.#last = now;
  }

  report(io: CliIo): void {
    if (!this.#enabled) return;
    const line = { ...this.#phases, at: Math.round(performance.now()) };
    io.stderr.write(`healthcheck: timings ${JSON.stringify(line)}\n`);
  }
}
