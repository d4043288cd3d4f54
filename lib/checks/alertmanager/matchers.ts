/**
 * Alertmanager label matchers (`severity=~"critical|P1"`, `team="erp"`, `env!=staging`), as the
 * API's `filter` parameter and amtool take them. Parsed here only to reject typos at `validate`
 * time; they are sent to Alertmanager, which does the matching.
 */
export interface Matcher {
  readonly name: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

const matcherPattern = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

function unquote(text: string): string | undefined {
  if (!text.startsWith('"')) return text.includes('"') ? undefined : text;
  if (!text.endsWith('"') || text.length < 2) return undefined;
  try {
    return JSON.parse(text) as string;
  } catch {
    return undefined;
  }
}

/** Splits `{a="x", b=~"y|z"}` (or `a="x", b="y"`) on commas outside quotes. */
export function splitMatchers(text: string): string[] {
  const inner = text.trim().replace(/^\{([\s\S]*)\}$/, '$1');
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < inner.length; i++) {
    const char = inner[i] as string;
    if (char === '\\' && quoted) {
      current += char + (inner[i + 1] ?? '');
      i++;
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

export function parseMatcher(text: string): Matcher | string {
  const match = matcherPattern.exec(text);
  if (!match) return `"${text}" is not a matcher like severity=~"critical|P1" or team="erp"`;
  const value = unquote(match[3] ?? '');
  if (value === undefined) return `"${text}": the value has unbalanced quotes`;
  const op = match[2] as Matcher['op'];
  if (op === '=~' || op === '!~') {
    try {
      new RegExp(`^(?:${value})$`);
    } catch (error) {
      return `"${text}": bad regex: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
    }
  }
  return { name: match[1] as string, op, value };
}

/** The canonical form Alertmanager's `filter` parameter takes: `name op "value"`. */
export function matcherText(matcher: Matcher): string {
  return `${matcher.name}${matcher.op}${JSON.stringify(matcher.value)}`;
}
