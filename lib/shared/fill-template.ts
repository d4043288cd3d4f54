/**
 * Fills `{name}`-style placeholders from a lookup; `pattern` (global, one capture group for the
 * name) fixes the syntax each caller documents: `{{label}}` for series names, `{column}` for rows.
 */
export function fillTemplate(
  template: string,
  pattern: RegExp,
  lookup: (name: string) => string,
): string {
  return template.replace(pattern, (_, name: string) => lookup(name));
}

/** The placeholder names a template uses, in order of first use. */
export function templateNames(template: string, pattern: RegExp): string[] {
  return [...new Set([...template.matchAll(pattern)].map((match) => match[1] ?? ''))];
}
