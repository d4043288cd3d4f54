/**
 * `{{name}}` in a later step's url, headers, query, body or auth stands for a value an earlier
 * step captured (`capture: {token: $.access_token}`).
 */
const reference = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export const captureName = /^[A-Za-z_][A-Za-z0-9_]*$/;

function strings(
  value: unknown,
  path: (string | number)[],
  visit: (text: string, path: (string | number)[]) => void,
): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) strings(item, [...path, i], visit);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) strings(item, [...path, key], visit);
  }
}

/** Every `{{name}}` in `value`, with the path of the string it is in. */
export function templateReferences(value: unknown): { name: string; path: (string | number)[] }[] {
  const found: { name: string; path: (string | number)[] }[] = [];
  strings(value, [], (text, path) => {
    for (const match of text.matchAll(reference)) found.push({ name: match[1] as string, path });
  });
  return found;
}

/** A copy of `value` with `{{name}}` replaced by the captured values. */
export function fillTemplates<T>(value: T, captured: ReadonlyMap<string, string>): T {
  if (captured.size === 0) return value;
  const fill = (item: unknown): unknown => {
    if (typeof item === 'string')
      return item.replace(reference, (whole, name: string) => captured.get(name) ?? whole);
    if (Array.isArray(item)) return item.map(fill);
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, fill(inner)]));
    }
    return item;
  };
  return fill(value) as T;
}
