/**
 * The run's AbortSignal budget: the Lambda's remaining time minus a margin to record results and
 * deliver alerts after the checks stop. The margin is a fifth of the time, 3-30 s.
 */
export function runBudgetMs(remainingMs: number): number {
  const margin = Math.min(30_000, Math.max(3_000, Math.round(remainingMs * 0.2)));
  return Math.max(1_000, remainingMs - margin);
}

/**
 * When this invocation's deliveries stop waiting for a rate-limited turn (SNS, PagerDuty): a
 * twentieth of the time left before `endsAt` (the recording deadline), 2-10 s, stays for
 * recording what was delivered. What did not get its turn stays in the outbox for the delivery
 * pass, never half-recorded.
 */
export function deliveryDeadline(endsAt: number, remainingMs: number): number {
  return endsAt - Math.min(10_000, Math.max(2_000, Math.round(remainingMs * 0.05)));
}
