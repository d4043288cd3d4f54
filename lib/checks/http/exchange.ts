import { compareStatus, type Status, worstStatus } from '../../core/status.ts';
import {
  displayUrl,
  type HttpAuth,
  HttpRequestError,
  type HttpResponse,
  httpRequest,
  type QueryValue,
} from '../../http/index.ts';
import {
  type Expectations,
  type Finding,
  type Judgement,
  judgeResponse,
} from './judge-response.ts';

/** One request as configured (after `{{name}}` is filled in). */
export interface RequestSpec extends Expectations {
  readonly url: string;
  readonly method?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly query?: Readonly<Record<string, QueryValue | readonly QueryValue[]>> | undefined;
  readonly body?: string | undefined;
  readonly json?: unknown;
  readonly auth?: HttpAuth | undefined;
}

/** What every request of a check shares. */
export interface ConnectionSettings {
  readonly ca?: string | undefined;
  readonly insecure: boolean;
  readonly followRedirects: boolean | number;
  readonly maxBodyBytes: number;
  /** The check's timeout: what a request that runs out of the check's time reports. */
  readonly checkTimeoutMs: number;
  readonly signal: AbortSignal;
}

export interface Exchange {
  /** `GET http://nats:8222/varz` */
  readonly label: string;
  readonly status: Status;
  /** Worst first. */
  readonly findings: readonly Finding[];
  readonly response?: HttpResponse;
  readonly error?: HttpRequestError;
  readonly judgement?: Judgement;
}

export function methodOf(spec: RequestSpec): string {
  return (
    spec.method ?? (spec.body !== undefined || spec.json !== undefined ? 'POST' : 'GET')
  ).toUpperCase();
}

/** Sends one request and judges its answer; a request that gets no answer is `unknown`. */
export async function exchange(
  spec: RequestSpec,
  settings: ConnectionSettings,
  timeoutMs: number,
): Promise<Exchange> {
  const method = methodOf(spec);
  const label = `${method} ${displayUrl(spec.url)}`;
  let response: HttpResponse;
  try {
    response = await httpRequest({
      url: spec.url,
      method,
      ...(spec.headers ? { headers: spec.headers } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.body !== undefined ? { body: spec.body } : {}),
      ...(spec.json !== undefined ? { json: spec.json } : {}),
      ...(spec.auth ? { auth: spec.auth } : {}),
      ...(settings.ca ? { ca: settings.ca } : {}),
      insecure: settings.insecure,
      followRedirects: settings.followRedirects,
      maxBodyBytes: settings.maxBodyBytes,
      timeoutMs,
      reportTimeoutAsMs: settings.checkTimeoutMs,
      signal: settings.signal,
    });
  } catch (error) {
    if (!(error instanceof HttpRequestError)) throw error;
    return {
      label,
      status: 'unknown',
      findings: [{ status: 'unknown', text: error.reason }],
      error,
    };
  }
  const judgement = judgeResponse(response, spec);
  const findings = [...judgement.findings].sort((a, b) => compareStatus(b.status, a.status));
  return {
    label,
    status: worstStatus(findings.map((f) => f.status)),
    findings,
    response,
    judgement,
  };
}
