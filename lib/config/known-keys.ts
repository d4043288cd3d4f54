import type * as z from 'zod';
import { didYouMean } from '../shared/closest-match.ts';
import type { IssuePath, Problem } from './format-issues.ts';

/**
 * The keys a strict object at `path` accepts, found by walking the zod schema alongside the raw
 * input (a check's keys depend on its `type`). Feeds "did you mean" for unknown keys; `[]` when
 * the schema there is not an object.
 */
type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
  getter?: () => z.ZodType;
};

function def(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

const wrappers = new Set([
  'default',
  'optional',
  'nullable',
  'catch',
  'readonly',
  'prefault',
  'nonoptional',
]);

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 20; depth++) {
    const d = def(current);
    if (wrappers.has(d.type) && d.innerType) current = d.innerType;
    else if (d.type === 'pipe' && d.in) current = d.in;
    else if (d.type === 'lazy' && d.getter) current = d.getter();
    else return current;
  }
  return current;
}

function literalValues(schema: z.ZodType | undefined): unknown[] {
  if (!schema) return [];
  const d = def(unwrap(schema));
  return d.type === 'literal' ? (d.values ?? []) : [];
}

/** For a union, the option the input is meant to be (by discriminator), else the first object. */
function pickOption(schema: z.ZodType, raw: unknown): z.ZodType | undefined {
  const d = def(schema);
  const options = (d.options ?? []).map(unwrap);
  if (d.discriminator && raw && typeof raw === 'object') {
    const value = (raw as Record<string, unknown>)[d.discriminator];
    const match = options.find((o) =>
      literalValues(def(o).shape?.[d.discriminator as string]).includes(value),
    );
    if (match) return match;
    return undefined;
  }
  return options.find((o) => def(o).type === 'object');
}

export function knownKeysAt(schema: z.ZodType, raw: unknown, path: IssuePath): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  let value = raw;
  const step = (node: z.ZodType): z.ZodType | undefined =>
    def(node).type === 'union' ? pickOption(node, value) : node;
  for (const key of path) {
    if (!current) return [];
    current = step(current);
    if (!current) return [];
    const d = def(current);
    if (d.type === 'object' && typeof key === 'string') current = d.shape?.[key];
    else if (d.type === 'array' && typeof key === 'number') current = d.element;
    else if (d.type === 'record') current = (d as { valueType?: z.ZodType }).valueType;
    else return [];
    value =
      value && typeof value === 'object'
        ? (value as Record<PropertyKey, unknown>)[key as string]
        : undefined;
    if (current) current = unwrap(current);
  }
  if (!current) return [];
  const last = step(current);
  if (!last) return [];
  const d = def(last);
  return d.type === 'object' ? Object.keys(d.shape ?? {}) : [];
}

/** Adds `; did you mean "timeoutSeconds"?` to unknown keys that look like typos of known ones. */
export function withKeySuggestions(
  problems: readonly Problem[],
  schema: z.ZodType,
  raw: unknown,
): Problem[] {
  return problems.map((p) => {
    const key = p.path.at(-1);
    if (p.message !== 'unknown key' || typeof key !== 'string') return p;
    const known = knownKeysAt(schema, raw, p.path.slice(0, -1));
    return { ...p, message: `${p.message}${didYouMean(key, known)}` };
  });
}
