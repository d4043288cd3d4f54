import type { CheckOutcome } from '../../core/result.ts';
import { redactText, sanitizeValue } from '../../core/sanitize.ts';
import { type Status, worstStatus } from '../../core/status.ts';
import { bodyExcerpt, HttpRequestError, tcpConnect } from '../../http/index.ts';
import { remainingBudget } from '../../shared/abort.ts';
import { formatElapsed } from '../../shared/format-duration.ts';
import type { CheckContext } from '../plugin.ts';
import { type HttpCheckConfig, type HttpStep, templatedFields } from './config.ts';
import { type ConnectionSettings, type Exchange, exchange, type RequestSpec } from './exchange.ts';
import { queryJson } from './json-path.ts';
import type { Finding } from './judge-response.ts';
import { slowFinding } from './judge-response.ts';
import { fillTemplates } from './templates.ts';

/**
 * The check stops its own requests this much before the engine's deadline, so a hung endpoint
 * is reported with what it was waiting for instead of the engine's bare "timed out".
 */
const reportMarginMs = 50;
const findingsInSummary = 3;

function summaryOf(label: string, findings: readonly Finding[]): string {
  const shown = findings.slice(0, findingsInSummary).map((f) => f.text);
  const more = findings.length - shown.length;
  return `${label}: ${shown.join('; ')}${more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : ''}`;
}

function okText(x: Exchange): string {
  const r = x.response;
  return r ? `${r.status} in ${formatElapsed(r.timings.totalMs)}` : 'ok';
}

function exchangeDetails(x: Exchange, withBody: boolean): Record<string, unknown> {
  const r = x.response;
  const j = x.judgement;
  return {
    request: x.label,
    ...(r
      ? {
          status: r.status,
          statusText: r.statusText,
          ...(r.redirects.length > 0 ? { redirects: r.redirects, finalUrl: r.finalUrl } : {}),
          timings: r.timings,
          ...(r.remoteAddress ? { remoteAddress: r.remoteAddress } : {}),
          ...(r.tlsProtocol ? { tlsProtocol: r.tlsProtocol } : {}),
          contentType: r.headers['content-type'],
          bodyBytes: r.body.length,
        }
      : {}),
    ...(x.error ? { error: x.error.reason, errorKind: x.error.kind } : {}),
    ...(x.findings.length > 0 ? { problems: x.findings } : {}),
    ...(j && (j.assertionFailures.length > 0 || j.assertionsPassed > 0)
      ? {
          assertionsPassed: j.assertionsPassed,
          failedAssertions: j.assertionFailures.map(({ text: _t, ...rest }) => rest),
        }
      : {}),
    ...(withBody && r && r.text.length > 0 ? { body: bodyExcerpt(r.text) } : {}),
  };
}

/** The request with captured values filled into the fields that take `{{name}}`. */
function filled<T extends RequestSpec>(request: T, captured: ReadonlyMap<string, string>): T {
  const fields = Object.fromEntries(templatedFields.map((field) => [field, request[field]]));
  return { ...request, ...fillTemplates(fields, captured) };
}

/** Reads `capture:` values from a step's JSON body; a missing one fails the step. */
function captureValues(step: HttpStep, x: Exchange, captured: Map<string, string>): Finding[] {
  const document = x.judgement?.document;
  const missing: Finding[] = [];
  for (const [name, path] of Object.entries(step.capture ?? {})) {
    const found = queryJson(document, path)[0];
    if (!found || found.value === null || found.value === undefined) {
      missing.push({
        status: 'critical',
        text: `capture ${name}: ${path} not found in the response`,
      });
      continue;
    }
    captured.set(name, typeof found.value === 'string' ? found.value : JSON.stringify(found.value));
  }
  return missing;
}

async function runTcp(
  config: HttpCheckConfig,
  remaining: () => number,
  signal: AbortSignal,
): Promise<CheckOutcome> {
  const url = new URL(config.url);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port);
  const label = `tcp://${url.host}`;
  try {
    const connection = await tcpConnect({
      host,
      port,
      timeoutMs: remaining(),
      reportTimeoutAsMs: config.timeoutSeconds * 1000,
      signal,
    });
    const slow = slowFinding(connection.totalMs, config.responseTimeMs, 'connected');
    const details = { url: label, ...connection };
    if (slow) return { status: slow.status, summary: `${label}: ${slow.text}`, details };
    return {
      status: 'ok',
      summary: `${label}: port open, connected in ${formatElapsed(connection.totalMs)}`,
      details,
    };
  } catch (error) {
    if (!(error instanceof HttpRequestError)) throw error;
    return {
      status: 'unknown',
      summary: error.message,
      details: { url: label, error: error.reason, errorKind: error.kind },
    };
  }
}

function stepName(step: HttpStep, index: number): string {
  return `step ${index + 1}${step.name ? ` (${step.name})` : ''}`;
}

/** Runs the steps, then the check's own request, each judged; the first failing step ends the flow. */
async function runHttp(
  config: HttpCheckConfig,
  remaining: () => number,
  signal: AbortSignal,
): Promise<{ outcome: CheckOutcome; captured: Map<string, string> }> {
  const settings: ConnectionSettings = {
    ca: config.ca,
    insecure: config.insecure,
    followRedirects: config.followRedirects,
    maxBodyBytes: config.maxBodyBytes,
    checkTimeoutMs: config.timeoutSeconds * 1000,
    signal,
  };
  const captured = new Map<string, string>();
  const steps = config.steps ?? [];
  const stepDetails: Record<string, unknown>[] = [];
  const stepsOk: string[] = [];
  for (const [i, step] of steps.entries()) {
    const x = await exchange(filled(step, captured), settings, remaining());
    const missing = x.status === 'ok' ? captureValues(step, x, captured) : [];
    const findings = [...x.findings, ...missing];
    const status: Status = worstStatus(findings.map((f) => f.status));
    const name = stepName(step, i);
    stepDetails.push({
      step: name,
      ...exchangeDetails(x, status !== 'ok'),
      ...(step.capture ? { captured: Object.keys(step.capture) } : {}),
    });
    if (status !== 'ok') {
      return {
        outcome: {
          status,
          summary: summaryOf(`${name} ${x.label}`, findings),
          details: { failedStep: i + 1, steps: stepDetails },
        },
        captured,
      };
    }
    stepsOk.push(`${step.name ?? `step ${i + 1}`} ${okText(x)}`);
  }
  const main = await exchange(filled(config, captured), settings, remaining());
  const after = stepsOk.length > 0 ? ` (after ${stepsOk.join(', ')})` : '';
  const summary =
    main.status === 'ok'
      ? `${main.label}: ${okText(main)}${after}`
      : summaryOf(main.label, main.findings);
  return {
    outcome: {
      status: main.status,
      summary,
      details: {
        ...exchangeDetails(main, main.status !== 'ok'),
        ...(stepDetails.length > 0 ? { steps: stepDetails } : {}),
      },
    },
    captured,
  };
}

export async function run(config: HttpCheckConfig, context: CheckContext): Promise<CheckOutcome> {
  const remaining = remainingBudget(config.timeoutSeconds * 1000, context.now, reportMarginMs);
  if (/^tcp:/i.test(config.url)) return runTcp(config, remaining, context.signal);
  const { outcome, captured } = await runHttp(config, remaining, context.signal);
  // Captured values (tokens) are secrets: never in a summary or details.
  const secrets = [...captured.values()];
  if (secrets.length === 0) return outcome;
  return {
    status: outcome.status,
    summary: redactText(outcome.summary, secrets),
    details: sanitizeValue(outcome.details ?? {}, secrets) as Record<string, unknown>,
  };
}
