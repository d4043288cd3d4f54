import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../../lib/config/load-config.ts';
import { parseConfigText } from '../../lib/config/load-config.ts';
import { bundledConfigFileName, runnerEnvironment } from '../../lib/infra/telemetry-names.ts';

/**
 * The config copied into the bundle at deploy time, validated then with the runner's environment.
 * An `${env:NAME}` the function's environment lacks anyway (changed in the console) stays a
 * reference, so only the checks using it fail, as `unknown`, when they run. Parsed once per
 * container.
 */
export function bundledConfigLoader(env: NodeJS.ProcessEnv): () => Config {
  let config: Config | undefined;
  return () => {
    if (!config) {
      const file = resolve(
        env['LAMBDA_TASK_ROOT'] ?? process.cwd(),
        env[runnerEnvironment.configFile] ?? bundledConfigFileName,
      );
      config = parseConfigText(readFileSync(file, 'utf8'), {
        env,
        missingEnv: 'keep',
        source: file,
      });
    }
    return config;
  };
}
