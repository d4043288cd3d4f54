import { randomBytes } from 'node:crypto';
import type { run } from '../../../lib/checks/sql/run.ts';
import { parseConfig } from '../../../lib/config/load-config.ts';
import type { CheckOutcome, CheckResult } from '../../../lib/core/result.ts';
import { recordedResult } from '../../support/recorded-result.ts';

/** The machine's servers (see the brief); tests make their own uniquely named tables. */
export const postgresUrl = 'postgres://postgres@127.0.0.1:5432/test';
export const mysqlUrl = 'mysql://root@127.0.0.1:3306/test';

export type SqlConfig = Parameters<typeof run>[0];

export function sqlConfig(fields: Record<string, unknown>): SqlConfig {
  const config = parseConfig({ checks: [{ id: 'sql', type: 'sql', ...fields }] }, { env: {} });
  return config.checks[0] as SqlConfig;
}

export function context(
  options: { signal?: AbortSignal; previous?: CheckResult; now?: Date } = {},
) {
  return {
    signal: options.signal ?? AbortSignal.timeout(20_000),
    now: options.now ?? new Date(),
    timezone: 'UTC',
    ...(options.previous ? { previous: options.previous } : {}),
  };
}

/** An outcome as the store records it, to hand to the next run as `previous`. */
export function recorded(outcome: CheckOutcome, at: Date): CheckResult {
  return recordedResult(outcome, { id: 'sql', type: 'sql' }, at);
}

export function suffix(): string {
  return randomBytes(4).toString('hex');
}

export function password(): string {
  return `Pw-${randomBytes(9).toString('base64url')}`;
}

/** Polls until `predicate` resolves true or `ms` pass. */
export async function eventually(predicate: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return predicate();
}
