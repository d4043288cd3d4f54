import { isDeepStrictEqual } from 'node:util';
import { type Assertion, type AssertionOp, modeOf, opOf } from './assertion-config.ts';
import { describeItem } from './describe-label.ts';
import { type PathMatch, queryJson } from './json-path.ts';

export interface FailedValue {
  readonly path: string;
  readonly value: unknown;
  readonly label?: string;
}

/** A failed assertion: what was asked, what came back, and the sentence for the summary. */
export interface AssertionFailure {
  readonly path: string;
  readonly op: AssertionOp;
  readonly expected: unknown;
  readonly match: 'every' | 'some';
  readonly severity: 'warning' | 'critical';
  /** Values the path selected. */
  readonly matched: number;
  /** The failing values (at most 20), with their labels when `describe` is set. */
  readonly failing: readonly FailedValue[];
  readonly failingCount: number;
  readonly text: string;
}

const shownInSummary = 3;
const keptInDetails = 20;

/** A value as a summary shows it: text bare, the rest as JSON, cut at 60 characters. */
export function showValue(value: unknown): string {
  const text = typeof value === 'string' ? (value === '' ? '""' : value) : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** JSON equality, except that 4 and "4" (and true and "true") are the same to a YAML author. */
export function looselyEqual(actual: unknown, expected: unknown): boolean {
  if (isDeepStrictEqual(actual, expected)) return true;
  if (typeof actual === 'number' || typeof expected === 'number') {
    const a = asNumber(actual);
    const b = asNumber(expected);
    return a !== undefined && a === b;
  }
  if (typeof actual === 'boolean' || typeof expected === 'boolean')
    return String(actual) === String(expected);
  return false;
}

function lengthOf(value: unknown): number | undefined {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}

function expectation(op: AssertionOp, value: unknown): string {
  switch (op) {
    case 'equals':
      return showValue(value);
    case 'notEquals':
      return `not ${showValue(value)}`;
    case 'lessThan':
      return `< ${value}`;
    case 'greaterThan':
      return `> ${value}`;
    case 'in':
      return `one of ${(value as unknown[]).map(showValue).join(', ')}`;
    case 'matches':
      return `to match /${value}/`;
    case 'lengthLessThan':
      return `length < ${value}`;
    case 'lengthGreaterThan':
      return `length > ${value}`;
    default:
      return '';
  }
}

/** Whether one value passes, and how its actual value reads ("4", "length 12"). */
function test(
  op: AssertionOp,
  expected: unknown,
  value: unknown,
): { pass: boolean; actual: string } {
  const shown = showValue(value);
  switch (op) {
    case 'equals':
      return { pass: looselyEqual(value, expected), actual: shown };
    case 'notEquals':
      return { pass: !looselyEqual(value, expected), actual: shown };
    case 'in':
      return { pass: (expected as unknown[]).some((e) => looselyEqual(value, e)), actual: shown };
    case 'lessThan':
    case 'greaterThan': {
      const n = asNumber(value);
      if (n === undefined) return { pass: false, actual: `${shown} (not a number)` };
      return {
        pass: op === 'lessThan' ? n < (expected as number) : n > (expected as number),
        actual: shown,
      };
    }
    case 'matches': {
      if (value !== null && typeof value === 'object')
        return { pass: false, actual: `${shown} (not text)` };
      return { pass: new RegExp(expected as string).test(String(value)), actual: shown };
    }
    case 'lengthLessThan':
    case 'lengthGreaterThan': {
      const length = lengthOf(value);
      if (length === undefined) return { pass: false, actual: `${shown} (no length)` };
      const pass =
        op === 'lengthLessThan' ? length < (expected as number) : length > (expected as number);
      return { pass, actual: `length ${length}` };
    }
    default:
      return { pass: true, actual: shown };
  }
}

function listed(items: readonly string[], total: number): string {
  const more = total - Math.min(items.length, shownInSummary);
  return `${items.slice(0, shownInSummary).join(', ')}${more > 0 ? `, and ${more} more` : ''}`;
}

interface Judged {
  readonly match: PathMatch;
  readonly actual: string;
  readonly label?: string;
}

function phrase(judged: Judged): string {
  if (judged.label !== undefined) return `${judged.label} ${judged.actual}`;
  return judged.actual.startsWith('length ')
    ? `${judged.match.path} has ${judged.actual}`
    : `${judged.match.path} is ${judged.actual}`;
}

function failure(
  assertion: Assertion,
  base: Omit<AssertionFailure, 'path' | 'match' | 'severity' | 'failing' | 'failingCount'>,
  failing: readonly Judged[],
): AssertionFailure {
  return {
    path: assertion.path,
    match: modeOf(assertion),
    severity: assertion.severity ?? 'critical',
    ...base,
    failing: failing.slice(0, keptInDetails).map((j) => ({
      path: j.match.path,
      value: j.match.value,
      ...(j.label !== undefined ? { label: j.label } : {}),
    })),
    failingCount: failing.length,
  };
}

/** Judges one assertion against the parsed body; undefined when it holds. */
export function evaluateAssertion(
  assertion: Assertion,
  document: unknown,
  checkDescribe?: string,
): AssertionFailure | undefined {
  const { op, value: expected } = opOf(assertion);
  const describe = assertion.describe ?? checkDescribe;
  const matches = queryJson(document, assertion.path);
  const label = (match: PathMatch): string | undefined =>
    describe ? describeItem(describe, match.item, document) : undefined;
  const judge = (match: PathMatch, actual: string): Judged => {
    const l = label(match);
    return { match, actual, ...(l !== undefined ? { label: l } : {}) };
  };
  const base = { op, expected, matched: matches.length };
  if (op === 'exists') {
    return matches.length > 0
      ? undefined
      : failure(assertion, { ...base, text: `${assertion.path} not found in the response` }, []);
  }
  if (op === 'notExists') {
    if (matches.length === 0) return undefined;
    const judged = matches.map((m) => judge(m, showValue(m.value)));
    const labelled = judged.every((j) => j.label !== undefined);
    const text = labelled
      ? `${listed(
          judged.map((j) => j.label as string),
          judged.length,
        )} (expected no match for ${assertion.path})`
      : `${assertion.path} matched ${judged.length === 1 ? '1 value' : `${judged.length} values`}: ${listed(
          judged.map((j) => j.actual),
          judged.length,
        )}`;
    return failure(assertion, { ...base, text }, judged);
  }
  const wanted = expectation(op, expected);
  if (matches.length === 0) {
    return failure(
      assertion,
      { ...base, text: `${assertion.path} not found in the response (expected ${wanted})` },
      [],
    );
  }
  const results = matches.map((m) => ({ ...test(op, expected, m.value), match: m }));
  const passed = results.filter((r) => r.pass).length;
  if (modeOf(assertion) === 'some') {
    if (passed > 0) return undefined;
    const judged = results.map((r) => judge(r.match, r.actual));
    const text = `none of ${assertion.path} is ${wanted}: got ${listed(
      judged.map((j) => (j.label !== undefined ? phrase(j) : j.actual)),
      judged.length,
    )}`;
    return failure(assertion, { ...base, text }, judged);
  }
  if (passed === results.length) return undefined;
  const judged = results.filter((r) => !r.pass).map((r) => judge(r.match, r.actual));
  const items = listed(judged.map(phrase), judged.length);
  const text = describe ? `${items} (expected ${wanted})` : `${items}, expected ${wanted}`;
  return failure(assertion, { ...base, text }, judged);
}
