import { UsageError } from '../core/errors.ts';
import type { OptionValues } from './command.ts';

export type OutputFormat = 'table' | 'json';

export function outputFormat(values: OptionValues): OutputFormat {
  const format = values['format'] ?? 'table';
  if (format === 'table' || format === 'json') return format;
  throw new UsageError(`--format must be "table" or "json", not "${String(format)}"`);
}
