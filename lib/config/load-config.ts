import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import * as z from 'zod';
import { checkTypeNames } from '../checks/registry.ts';
import { ConfigError } from '../core/errors.ts';
import { didYouMean } from '../shared/closest-match.ts';
import type { NormalizedCommonFields } from './check-common.ts';
import { crossReferenceProblems } from './cross-references.ts';
import { formatPath, type IssuePath, type Problem, problemsFromIssues } from './format-issues.ts';
import { withKeySuggestions } from './known-keys.ts';
import { resolveEnvReferences } from './references.ts';
import { CheckSchema, ConfigSchema, type ParsedCheck, type ParsedConfig } from './schema.ts';
import { deferredSecretPaths, parseCheckDeferringSecrets } from './secret-fields.ts';

export type CheckConfig = ParsedCheck & NormalizedCommonFields;

export interface Config extends Omit<ParsedConfig, 'checks'> {
  readonly checks: readonly CheckConfig[];
}

export interface LoadOptions {
  /** Where `${env:NAME}` values come from; `false` keeps references as written. */
  readonly env?: Record<string, string | undefined> | false;
  /**
   * An `${env:NAME}` missing from `env`: a config error (`error`, the CLI), or kept as a reference
   * so only the check using it fails when it runs (`keep`, the runner).
   * @default 'error'
   */
  readonly missingEnv?: 'error' | 'keep';
  /** How an unset variable is reported (synth names the runner's environment). */
  readonly missingEnvMessage?: (name: string) => string;
  /** Shown in error messages. */
  readonly source?: string;
}

type LocateLine = (path: IssuePath) => number | undefined;

/** A default given once for all or per severity (`remindEvery`, `maxReminders`). */
function bySeverity<T extends string | number>(
  value: T | Partial<Record<string, T>> | undefined,
  severity: string,
): T | undefined {
  return typeof value === 'object' ? value[severity] : value;
}

function normalize(parsed: ParsedConfig): Config {
  const d = parsed.defaults;
  const checks = parsed.checks.map((check) => {
    const severity = check.severity ?? d.severity;
    const remindEvery = check.remindEvery ?? bySeverity(d.remindEvery, severity);
    const maxReminders = check.maxReminders ?? bySeverity(d.maxReminders, severity);
    return {
      ...check,
      severity,
      timeoutSeconds: check.timeoutSeconds ?? d.timeoutSeconds,
      failureThreshold: check.failureThreshold ?? d.failureThreshold,
      successThreshold: check.successThreshold ?? d.successThreshold,
      ...(remindEvery ? { remindEvery } : {}),
      ...(maxReminders !== undefined ? { maxReminders } : {}),
    } as CheckConfig;
  });
  return { ...parsed, checks };
}

function render(problems: readonly Problem[], locate: LocateLine): string[] {
  return problems.map((p) => {
    const line = locate(p.path);
    return `${formatPath(p.path)}: ${p.message}${line ? ` (line ${line})` : ''}`;
  });
}

function explainUnknownType(problems: Problem[], raw: unknown): Problem[] {
  return problems.map((p) => {
    if (p.path.at(-1) !== 'type' || p.path[0] !== 'checks' || !p.message.startsWith('unknown type'))
      return p;
    const given = p.path.reduce<unknown>(
      (node, key) =>
        node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined,
      raw,
    );
    const hint = typeof given === 'string' ? didYouMean(given, checkTypeNames()) : '';
    // A likely typo gets its correction; anything else gets the whole list.
    return {
      ...p,
      message: `${p.message}${hint || `; known types: ${checkTypeNames().join(', ')}`}`,
    };
  });
}

/** Validates an already-parsed config object (from YAML, JSON or `defineConfig`). */
export function parseConfig(
  raw: unknown,
  options: LoadOptions = {},
  locate: LocateLine = () => undefined,
): Config {
  const env = options.env === undefined ? process.env : options.env;
  let value = raw;
  const problems: Problem[] = [];
  if (env !== false) {
    const resolved = resolveEnvReferences(raw, env, {
      missing: options.missingEnv ?? 'error',
      ...(options.missingEnvMessage ? { missingMessage: options.missingEnvMessage } : {}),
    });
    value = resolved.value;
    problems.push(...resolved.problems);
  }
  const parsed = parseDeferringSecrets(value);
  problems.push(
    ...explainUnknownType(
      withKeySuggestions(problemsFromIssues(parsed.issues), ConfigSchema, value),
      value,
    ),
  );
  problems.push(...crossReferenceProblems(value));
  problems.sort((a, b) => (locate(a.path) ?? 0) - (locate(b.path) ?? 0));
  if (problems.length > 0 || !parsed.data) {
    throw new ConfigError(render(problems, locate), options.source);
  }
  return normalize(parsed.data);
}

const ConfigWithRawChecks = ConfigSchema.extend({ checks: z.array(z.unknown()).min(1) });

/**
 * The schema's verdict with problems of whole-value `${secret:...}` fields set aside (they are
 * validated once resolved, right before the check runs; see lib/config/secret-fields.ts).
 */
function parseDeferringSecrets(value: unknown): {
  data?: ParsedConfig;
  issues: z.core.$ZodIssue[];
} {
  const result = ConfigSchema.safeParse(value, { reportInput: true });
  if (result.success) return { data: result.data, issues: [] };
  const deferred = deferredSecretPaths(value);
  if (deferred.length === 0) return { issues: result.error.issues };
  // Checks with deferred fields are judged on their own, leniently; everything else as parsed.
  const lenientIndexes = new Set(deferred.map((p) => p[1]));
  const issues = result.error.issues.filter(
    (i) => !(i.path[0] === 'checks' && lenientIndexes.has(i.path[1] as number)),
  );
  const checks = (value as { checks: Record<string, unknown>[] }).checks.map((check, index) => {
    const strict = CheckSchema.safeParse(check, { reportInput: true });
    if (strict.success || !lenientIndexes.has(index)) return strict.data;
    const own = deferred.filter((p) => p[1] === index).map((p) => p.slice(2));
    const lenient = parseCheckDeferringSecrets(check, own) ?? { issues: strict.error.issues };
    issues.push(...lenient.issues.map((i) => ({ ...i, path: ['checks', index, ...i.path] })));
    return lenient.data;
  });
  const top = ConfigWithRawChecks.safeParse(value);
  if (issues.length > 0 || !top.success) return { issues };
  return { data: { ...top.data, checks } as ParsedConfig, issues: [] };
}

/** Parses YAML (or JSON) text, reporting syntax errors with line and column. */
export function parseConfigText(text: string, options: LoadOptions = {}): Config {
  const lineCounter = new LineCounter();
  // `<<: *defaults` merge keys are common in hand-written check lists, so they are allowed.
  const document = parseDocument(text, {
    lineCounter,
    prettyErrors: true,
    uniqueKeys: true,
    merge: true,
  });
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((e) => {
        const at = e.linePos?.[0];
        const message = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
        return `${at ? `line ${at.line}, column ${at.col}` : '(syntax)'}: ${message}`;
      }),
      options.source,
    );
  }
  type Ranged = { range?: [number, number, number] };
  /** The key's own line (a mapping value may start on the next one). */
  const keyLine = (path: IssuePath): number | undefined => {
    const parent =
      path.length > 1 ? document.getIn(path.slice(0, -1) as unknown[], true) : document.contents;
    const items = (parent as { items?: { key?: { value?: unknown } & Ranged }[] } | null)?.items;
    const key = items?.find((pair) => pair.key?.value === path.at(-1))?.key;
    return key?.range ? lineCounter.linePos(key.range[0]).line : undefined;
  };
  const locate: LocateLine = (path) => {
    if (typeof path.at(-1) === 'string') {
      const line = keyLine(path);
      if (line) return line;
    }
    for (let depth = path.length; depth > 0; depth--) {
      const node = document.getIn(path.slice(0, depth) as unknown[], true) as Ranged | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  let raw: unknown;
  try {
    // Many anchors are normal in a long check list; the cap still stops "billion laughs" files.
    raw = document.toJS({ maxAliasCount: 10_000 }) ?? {};
  } catch (error) {
    throw new ConfigError([`(document): ${(error as Error).message}`], options.source);
  }
  return parseConfig(raw, options, locate);
}

/** Loads `.yaml`/`.yml`/`.json`, or a `.js`/`.mjs`/`.ts` module whose default export is the config. */
export async function loadConfigFile(file: string, options: LoadOptions = {}): Promise<Config> {
  const source = options.source ?? file;
  const ext = extname(file);
  if (['.js', '.mjs', '.ts', '.mts'].includes(ext)) {
    const module = (await import(pathToFileURL(resolve(file)).href)) as { default?: unknown };
    return parseConfig(module.default, { ...options, source });
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      [code === 'ENOENT' ? 'file not found' : `cannot read file: ${(error as Error).message}`],
      source,
    );
  }
  return parseConfigText(text, { ...options, source });
}
