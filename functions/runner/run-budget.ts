/**
 * The run's AbortSignal budget: the Lambda's remaining time minus a margin to record results and
 * deliver alerts after the checks stop. The margin is a fifth of the time, 3-30 s.
 */
export function runBudgetMs(remainingMs: number): number {
  const margin = Math.min(30_000, Math.max(3_000, Math.round(remainingMs * 0.2)));
  return Math.max(1_000, remainingMs - margin);
}
