import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../../lib/config/load-config.ts';
import { parseConfigText } from '../../lib/config/load-config.ts';
import { bundledConfigFileName, runnerEnvironment } from '../../lib/infra/telemetry-names.ts';

/**
 * The config copied into the bundle at deploy time (validated then, so this only fails on
 * `${env:NAME}` variables missing from the function's environment). Parsed once per container.
 */
export function bundledConfigLoader(env: NodeJS.ProcessEnv): () => Config {
  let config: Config | undefined;
  return () => {
    if (!config) {
      const file = resolve(
        env['LAMBDA_TASK_ROOT'] ?? process.cwd(),
        env[runnerEnvironment.configFile] ?? bundledConfigFileName,
      );
      config = parseConfigText(readFileSync(file, 'utf8'), { env, source: file });
    }
    return config;
  };
}
