import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Config } from '../config/load-config.ts';
import { parseConfigText } from '../config/load-config.ts';
import { ConfigError } from '../core/errors.ts';

/**
 * Reads and validates the config at synth time, as the CLI does but with `${env:}` and
 * `${secret:}` references kept as written: nothing secret is resolved into the template.
 */
export function readSynthConfig(file: string): { config: Config; text: string } {
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
  return { config: parseConfigText(text, { env: false, source: file }), text };
}
