import type { run } from '../../../lib/checks/http/run.ts';
import { parseConfig } from '../../../lib/config/load-config.ts';
import { ConfigError } from '../../../lib/core/errors.ts';

export type HttpConfig = Parameters<typeof run>[0];

/** An http check as the loader produces it (defaults applied, validated). */
export function httpConfig(fields: Record<string, unknown>): HttpConfig {
  return parseConfig({ checks: [{ id: 'web', type: 'http', ...fields }] }, { env: {} })
    .checks[0] as HttpConfig;
}

/** The problems `validate` reports for one http check, as printed. */
export function httpProblems(fields: Record<string, unknown>, type = 'http'): readonly string[] {
  try {
    parseConfig({ checks: [{ id: 'web', type, ...fields }] }, { env: {} });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

export function checkContext(signal: AbortSignal = AbortSignal.timeout(15_000)) {
  return { signal, now: new Date(), timezone: 'UTC' };
}
