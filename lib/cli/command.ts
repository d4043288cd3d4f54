import type { ParseArgsOptionsConfig } from 'node:util';
import type { CliIo } from './io.ts';

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: ParseArgsOptionsConfig;
  run(values: OptionValues, io: CliIo): Promise<number>;
}

export const configOption = {
  config: { type: 'string', short: 'c' },
} as const satisfies ParseArgsOptionsConfig;

export const formatOption = {
  format: { type: 'string', short: 'f' },
} as const satisfies ParseArgsOptionsConfig;

export const defaultConfigFile = 'healthchecks.yaml';

export function configPath(values: OptionValues, io: CliIo): string {
  const given = values['config'];
  if (typeof given === 'string') return given;
  return io.env['HEALTHCHECK_CONFIG'] ?? defaultConfigFile;
}

export function stringList(value: OptionValues[string]): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}
