import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'yaml';
import type { Config } from '../config/load-config.ts';
import { parseConfigText } from '../config/load-config.ts';
import { ConfigError } from '../core/errors.ts';

export interface SynthConfig {
  /** Validated with `${env:NAME}` resolved from the runner's environment; secrets unresolved. */
  readonly config: Config;
  /** The file as written (references unresolved), which is what the runner's bundle carries. */
  readonly written: unknown;
}

/**
 * Reads and validates the config at synth time as the runner will see it: `${env:NAME}` from the
 * runner's environment (each referenced name must be in it), `${secret:}` kept as a reference,
 * so nothing secret is resolved into the template.
 */
export function readSynthConfig(
  file: string,
  runnerEnvironment: Readonly<Record<string, string>> = {},
): SynthConfig {
  if (!['.yaml', '.yml', '.json'].includes(extname(file))) {
    throw new ConfigError(['cdk synth reads YAML or JSON configs (.yaml, .yml, .json)'], file);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      [code === 'ENOENT' ? 'file not found' : `cannot read file: ${(error as Error).message}`],
      file,
    );
  }
  const config = parseConfigText(text, {
    env: { ...runnerEnvironment },
    source: file,
    missingEnvMessage: (name) =>
      `\${env:${name}} is not in the runner's environment; set it with -c runnerEnvironment=${name}=... (or the runnerEnvironment prop), or use \${secret:ID} for a credential`,
  });
  return { config, written: parse(text, { merge: true, maxAliasCount: 10_000 }) as unknown };
}
