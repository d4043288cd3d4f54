import type { CheckConfig } from '../config/load-config.ts';
import { checkPlugins, findCheckPlugin } from './registry.ts';

export interface PackageUse {
  /** Declared packages some check in the config needs. */
  readonly used: readonly string[];
  /** Declared packages no check in the config needs: safe to leave out of a bundle. */
  readonly unused: readonly string[];
}

/** Which of the plugins' declared heavy packages a set of checks needs. */
export function packageUse(checks: readonly CheckConfig[]): PackageUse {
  const declared = new Set(checkPlugins.flatMap((plugin) => Object.keys(plugin.packages ?? {})));
  const used = new Set<string>();
  for (const check of checks) {
    const packages = findCheckPlugin(check.type)?.packages ?? {};
    for (const [name, needed] of Object.entries(packages)) {
      if ((needed as (config: unknown) => boolean)(check)) used.add(name);
    }
  }
  return {
    used: [...used].sort(),
    unused: [...declared].filter((name) => !used.has(name)).sort(),
  };
}
