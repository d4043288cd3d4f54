import type { CheckModule } from '../../lib/checks/plugin.ts';
import type { CheckConfig } from '../../lib/config/load-config.ts';
import type { CheckLoader } from '../../lib/core/engine.ts';

/** A check config the engine accepts, for fake check types in engine tests. */
export function fakeCheck(
  id: string,
  type: string,
  extra: Record<string, unknown> = {},
): CheckConfig {
  return {
    id,
    type,
    severity: 'P3',
    timeoutSeconds: 5,
    failureThreshold: 1,
    successThreshold: 1,
    ...extra,
  } as unknown as CheckConfig;
}

export function loaderOf(modules: Record<string, CheckModule<never>['run']>): CheckLoader {
  return async (type) => {
    const run = modules[type];
    if (!run) throw new Error(`unknown check type "${type}"`);
    return { run };
  };
}
