import { bodyExcerpt, HttpRequestError, type HttpResponse, jsonBody } from '../../http/index.ts';
import { formatElapsed } from '../../shared/format-duration.ts';
import type { Assertion } from './assertion-config.ts';
import { type AssertionFailure, evaluateAssertion } from './assertions.ts';
import {
  defaultExpectStatus,
  describeExpectedStatus,
  type StatusEntry,
  statusExpected,
} from './expect-status.ts';

/** One thing wrong with an answer, worded for the summary. */
export interface Finding {
  readonly status: 'warning' | 'critical' | 'unknown';
  readonly text: string;
}

/** How one request's answer is judged (a step's fields or the check's own). */
export interface Expectations {
  readonly expectStatus?: readonly StatusEntry[] | undefined;
  readonly responseTimeMs?:
    | { readonly warning?: number | undefined; readonly critical?: number | undefined }
    | undefined;
  readonly bodyContains?: string | readonly string[] | undefined;
  readonly bodyNotContains?: string | readonly string[] | undefined;
  readonly bodyMatches?: string | undefined;
  readonly assertions?: readonly Assertion[] | undefined;
  readonly describe?: string | undefined;
  /** Values to read from the JSON body for later steps. */
  readonly capture?: Readonly<Record<string, string>> | undefined;
}

export interface Judgement {
  readonly findings: readonly Finding[];
  readonly assertionFailures: readonly AssertionFailure[];
  readonly assertionsPassed: number;
  /** The parsed body, when JSON was needed and parsed. */
  readonly document?: unknown;
}

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

/** A short single-line start of the body, for a status-mismatch summary. */
function bodyHint(response: HttpResponse): string {
  const hint = bodyExcerpt(response.text, 100).replace(/\s+/g, ' ').trim();
  return hint ? `: ${hint}` : '';
}

function statusFinding(
  response: HttpResponse,
  expected: readonly StatusEntry[],
): Finding | undefined {
  if (statusExpected(expected, response.status)) return undefined;
  const location = response.headers['location'];
  const where =
    response.status >= 300 && response.status < 400 && location
      ? ` -> ${location}`
      : bodyHint(response);
  return {
    status: 'critical',
    text: `status ${response.status} (expected ${describeExpectedStatus(expected)}) in ${formatElapsed(response.timings.totalMs)}${where}`,
  };
}

/** `responded in 1.2 s, over responseTimeMs.warning (500 ms)`. */
export function slowFinding(
  totalMs: number,
  limits: Expectations['responseTimeMs'],
  verb = 'responded',
): Finding | undefined {
  if (!limits) return undefined;
  const over = (name: 'critical' | 'warning'): Finding | undefined => {
    const limit = limits[name];
    return limit !== undefined && totalMs > limit
      ? {
          status: name,
          text: `${verb} in ${formatElapsed(totalMs)}, over responseTimeMs.${name} (${formatElapsed(limit)})`,
        }
      : undefined;
  };
  return over('critical') ?? over('warning');
}

function bodyFindings(text: string, expect: Expectations): Finding[] {
  const findings: Finding[] = [];
  for (const wanted of list(expect.bodyContains)) {
    if (!text.includes(wanted))
      findings.push({ status: 'critical', text: `body does not contain "${wanted}"` });
  }
  for (const unwanted of list(expect.bodyNotContains)) {
    if (text.includes(unwanted))
      findings.push({ status: 'critical', text: `body contains "${unwanted}"` });
  }
  if (expect.bodyMatches !== undefined && !new RegExp(expect.bodyMatches).test(text)) {
    findings.push({ status: 'critical', text: `body does not match /${expect.bodyMatches}/` });
  }
  return findings;
}

/**
 * Judges an answer: the status first (a wrong status makes the body beside the point), then the
 * response time, the body text, and the JSON assertions (a body that is not JSON is `unknown`).
 */
export function judgeResponse(response: HttpResponse, expect: Expectations): Judgement {
  const status = statusFinding(response, expect.expectStatus ?? defaultExpectStatus);
  if (status) return { findings: [status], assertionFailures: [], assertionsPassed: 0 };
  const findings: Finding[] = [];
  const slow = slowFinding(response.timings.totalMs, expect.responseTimeMs);
  if (slow) findings.push(slow);
  findings.push(...bodyFindings(response.text, expect));
  const assertions = expect.assertions ?? [];
  const needsJson = assertions.length > 0 || Object.keys(expect.capture ?? {}).length > 0;
  if (!needsJson) return { findings, assertionFailures: [], assertionsPassed: 0 };
  let document: unknown;
  try {
    document = jsonBody(response);
  } catch (error) {
    if (!(error instanceof HttpRequestError)) throw error;
    return {
      findings: [...findings, { status: 'unknown', text: error.reason }],
      assertionFailures: [],
      assertionsPassed: 0,
    };
  }
  const failures = assertions
    .map((assertion) => evaluateAssertion(assertion, document, expect.describe))
    .filter((failure): failure is AssertionFailure => failure !== undefined);
  for (const failure of failures) findings.push({ status: failure.severity, text: failure.text });
  return {
    findings,
    assertionFailures: failures,
    assertionsPassed: assertions.length - failures.length,
    document,
  };
}
