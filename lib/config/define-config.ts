import type { ConfigInput } from './schema.ts';

/** Typed config for users who write it in TypeScript; validated when loaded like YAML. */
export function defineConfig(config: ConfigInput): ConfigInput {
  return config;
}
