import * as z from 'zod';
import { describeProblem } from './describe-label.ts';
import { jsonPathProblem } from './json-path.ts';

export const assertionOps = [
  'equals',
  'notEquals',
  'lessThan',
  'greaterThan',
  'in',
  'matches',
  'exists',
  'notExists',
  'lengthLessThan',
  'lengthGreaterThan',
] as const;
export type AssertionOp = (typeof assertionOps)[number];

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A regex source that compiles (V8 syntax; `(?i:...)` for case-insensitive parts). */
export function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (error) {
    return `bad regex: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
}

const example = '{path: $.status, equals: UP}';

export const AssertionSchema = z
  .strictObject({
    path: z
      .string()
      .min(1)
      .describe('JSONPath into the JSON body, e.g. $.status or $.jobs[*].state'),
    equals: z
      .json()
      .optional()
      .describe('Every value equals this (numbers and numeric text compare as numbers)'),
    notEquals: z.json().optional(),
    lessThan: z.number().optional(),
    greaterThan: z.number().optional(),
    in: z.array(Scalar).min(1).optional().describe('Every value is one of these'),
    matches: z.string().optional().describe('Every value matches this regex'),
    exists: z.boolean().nullable().optional().describe('The path selects at least one value'),
    notExists: z.boolean().nullable().optional().describe('The path selects nothing'),
    lengthLessThan: z
      .int()
      .min(0)
      .optional()
      .describe('Length of a list or text, or keys of an object'),
    lengthGreaterThan: z.int().min(0).optional(),
    match: z
      .enum(['every', 'some'])
      .optional()
      .describe(
        'For a path selecting several values: every one (default) or at least one must pass',
      ),
    some: z.boolean().optional().describe('Shorthand for match: some'),
    every: z.boolean().optional().describe('Shorthand for match: every'),
    severity: z
      .enum(['warning', 'critical'])
      .optional()
      .describe('Status when this assertion fails (default critical)'),
    describe: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Names offending items, e.g. "connector {$.name} task {@.id}"; overrides the check\'s',
      ),
  })
  .superRefine((assertion, ctx) => {
    const given = assertionOps.filter((op) => assertion[op] !== undefined);
    if (given.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: `needs one op as a key with its value, one of ${assertionOps.join(', ')} (e.g. ${example})`,
      });
    } else if (given.length > 1) {
      ctx.addIssue({
        code: 'custom',
        message: `has ${given.length} ops (${given.join(', ')}); write one assertion per op`,
      });
    }
    const pathProblem = jsonPathProblem(assertion.path);
    if (pathProblem) ctx.addIssue({ code: 'custom', path: ['path'], message: pathProblem });
    if (assertion.matches !== undefined) {
      const problem = regexProblem(assertion.matches);
      if (problem) ctx.addIssue({ code: 'custom', path: ['matches'], message: problem });
    }
    if (assertion.describe !== undefined) {
      const problem = describeProblem(assertion.describe);
      if (problem) ctx.addIssue({ code: 'custom', path: ['describe'], message: problem });
    }
    const modes = new Set<string>();
    if (assertion.match) modes.add(assertion.match);
    if (assertion.some !== undefined) modes.add(assertion.some ? 'some' : 'every');
    if (assertion.every !== undefined) modes.add(assertion.every ? 'every' : 'some');
    if (modes.size > 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'says both every and some; pick one (match: every | some)',
      });
    }
  });

export type Assertion = z.output<typeof AssertionSchema>;

/** The assertion's one op and its value, with `exists: false` read as notExists. */
export function opOf(assertion: Assertion): { op: AssertionOp; value: unknown } {
  const op = assertionOps.find((name) => assertion[name] !== undefined) ?? 'exists';
  const value = assertion[op];
  if (op === 'exists' && value === false) return { op: 'notExists', value: true };
  if (op === 'notExists' && value === false) return { op: 'exists', value: true };
  return { op, value };
}

export function modeOf(assertion: Assertion): 'every' | 'some' {
  if (assertion.match) return assertion.match;
  if (assertion.some !== undefined) return assertion.some ? 'some' : 'every';
  if (assertion.every !== undefined) return assertion.every ? 'every' : 'some';
  return 'every';
}
