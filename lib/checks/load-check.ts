import type { CheckLoader } from '../core/engine.ts';
import type { CheckModule } from './plugin.ts';
import { findCheckPlugin } from './registry.ts';

const loaded = new Map<string, Promise<CheckModule<never>>>();

/** The registry as the engine's check loader; each type's code is imported once, on first use. */
export const loadCheckFromRegistry: CheckLoader = (type) => {
  let module = loaded.get(type);
  if (!module) {
    const plugin = findCheckPlugin(type);
    if (!plugin) return Promise.reject(new Error(`unknown check type "${type}"`));
    module = plugin.load();
    loaded.set(type, module);
  }
  return module;
};
