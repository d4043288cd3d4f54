import * as z from 'zod';
import { commonCheckShape } from './check-common.ts';
import { ConfigSchema } from './schema.ts';

type JsonSchema = Record<string, unknown>;

/** What a field may be instead of its own value (see lib/config/secret-fields.ts). */
const secretReferenceDefinition: JsonSchema = {
  type: 'string',
  pattern: '^\\$\\{secret:[^}]+\\}$',
  description:
    'The whole value from a secret, ${secret:ID} or ${secret:ID#jsonKey}; checked once resolved',
};

const secretReference: JsonSchema = { $ref: '#/$defs/secretReference' };

const fixedKeys = new Set<string>([...Object.keys(commonCheckShape), 'type']);

function isPlainString(schema: JsonSchema): boolean {
  return (
    schema['type'] === 'string' &&
    !['pattern', 'format', 'enum', 'const', 'maxLength'].some((key) => key in schema)
  );
}

function mapValues(record: unknown, fn: (schema: JsonSchema) => JsonSchema): JsonSchema {
  return Object.fromEntries(
    Object.entries(record as Record<string, JsonSchema>).map(([key, value]) => [key, fn(value)]),
  );
}

/** A field schema that also accepts a whole-value secret reference, at any depth. */
function acceptSecret(schema: JsonSchema): JsonSchema {
  let inner: JsonSchema = { ...schema };
  if (inner['properties']) inner['properties'] = mapValues(inner['properties'], acceptSecret);
  if (inner['items'] && typeof inner['items'] === 'object') {
    inner['items'] = acceptSecret(inner['items'] as JsonSchema);
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(inner[key])) inner[key] = (inner[key] as JsonSchema[]).map(acceptSecret);
  }
  if (isPlainString(inner)) return inner;
  const { description, default: fallback, ...rest } = inner;
  inner = {
    ...(description === undefined ? {} : { description }),
    ...(fallback === undefined ? {} : { default: fallback }),
    anyOf: [rest, secretReference],
  };
  return inner;
}

function acceptSecretsInChecks(schema: JsonSchema): JsonSchema {
  const checks = (schema['properties'] as Record<string, JsonSchema>)['checks'] as JsonSchema;
  const items = checks['items'] as JsonSchema;
  const variants = (items['oneOf'] ?? items['anyOf']) as JsonSchema[];
  for (const variant of variants) {
    const properties = variant['properties'] as Record<string, JsonSchema>;
    for (const [key, value] of Object.entries(properties)) {
      if (!fixedKeys.has(key)) properties[key] = acceptSecret(value);
    }
  }
  return schema;
}

/** JSON Schema of the config file's input form, for editor autocompletion of the YAML. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' });
  return acceptSecretsInChecks({
    ...schema,
    title: 'healthcheck configuration',
    $defs: { ...(schema.$defs ?? {}), secretReference: secretReferenceDefinition },
  });
}
