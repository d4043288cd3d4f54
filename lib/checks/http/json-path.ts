import { JSONPath } from 'jsonpath-plus';

type ScriptConstructor = new (code: string) => { runInNewContext(context: object): unknown };

/** One value a JSONPath found, with where it is and the item it belongs to. */
export interface PathMatch {
  /** Concrete path of this value, e.g. `$.jobs[1].state`. */
  readonly path: string;
  readonly value: unknown;
  /**
   * The item the value belongs to, which `describe` names: the nearest enclosing array element
   * (`$.tasks[2]` for `$.tasks[2].state`), else the object holding the value.
   */
  readonly item: unknown;
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function childOf(node: unknown, key: string): unknown {
  if (Array.isArray(node)) return node[Number(key)];
  if (node !== null && typeof node === 'object') return (node as Record<string, unknown>)[key];
  return undefined;
}

function locate(document: unknown, pointer: string): { path: string; item: unknown } {
  const segments = pointerSegments(pointer);
  const nodes: unknown[] = [document];
  let path = '$';
  for (const segment of segments) {
    const parent = nodes.at(-1);
    if (Array.isArray(parent)) path += `[${segment}]`;
    else path += identifier.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
    nodes.push(childOf(parent, segment));
  }
  for (let i = segments.length; i >= 1; i--) {
    if (Array.isArray(nodes[i - 1])) return { path, item: nodes[i] };
  }
  return { path, item: nodes[Math.max(0, segments.length - 1)] };
}

/** Every value `path` selects in `document` (jsonpath-plus, filters in its safe evaluator). */
export function queryJson(document: unknown, path: string): PathMatch[] {
  const results = JSONPath({
    path,
    json: document as object,
    resultType: 'all',
    wrap: true,
    eval: 'safe',
  }) as { value: unknown; pointer: string }[];
  return results.map((result) => ({ value: result.value, ...locate(document, result.pointer) }));
}

/**
 * Compiles filter and script expressions without running them, so `validate` finds a syntax
 * error in `[?(@.state == )]` even though no data reaches the filter.
 */
// Looked up on first use, not at import: Lambda bundles of configs without JSON paths replace
// jsonpath-plus with a stub, and this module must still load there.
let safeScript: ScriptConstructor | undefined;
class CompileOnly {
  constructor(code: string) {
    safeScript ??= (JSONPath as unknown as { prototype: { safeVm: { Script: ScriptConstructor } } })
      .prototype.safeVm.Script;
    new safeScript(code);
  }
  /** Falsy for a filter, and a harmless key for a `(script)` segment. */
  runInNewContext(): string {
    return '';
  }
}

function unbalanced(path: string): string | undefined {
  const closing: Record<string, string> = { '[': ']', '(': ')' };
  const stack: string[] = [];
  let quote: string | undefined;
  for (let i = 0; i < path.length; i++) {
    const char = path[i] as string;
    if (quote) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '[' || char === '(') stack.push(closing[char] as string);
    else if (char === ']' || char === ')') {
      if (stack.pop() !== char) return `unexpected "${char}" at character ${i + 1}`;
    }
  }
  if (quote) return `unterminated ${quote} quote`;
  if (stack.length > 0) return `missing "${stack.at(-1)}"`;
  return undefined;
}

/**
 * Why `path` is not a JSONPath jsonpath-plus can run, or undefined. jsonpath-plus itself is
 * lenient (it reads `$.jobs[` as `$.jobs`), so brackets, quotes and filter syntax are checked here.
 */
export function jsonPathProblem(path: string): string | undefined {
  if (!path.startsWith('$')) return 'a JSONPath starts with $ (e.g. $.status, $.jobs[*].state)';
  const balance = unbalanced(path);
  if (balance) return `not a valid JSONPath: ${balance}`;
  try {
    for (const segment of JSONPath.toPathArray(path)) {
      if (!segment.startsWith('?(') && !segment.startsWith('(')) continue;
      JSONPath({ path: `$[${segment}]`, json: [{}], eval: CompileOnly, wrap: true });
    }
  } catch (error) {
    return `not a valid JSONPath: ${(error as Error).message.replace(/^jsonPath: /, '')}`;
  }
  return undefined;
}
