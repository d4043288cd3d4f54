import { z } from 'zod';
import { ConfigSchema } from './schema.ts';

/** JSON Schema of the config file's input form, for editor autocompletion of the YAML. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'healthcheck configuration',
  };
}
