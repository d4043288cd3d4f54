import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedEvent {
  readonly body: Record<string, unknown>;
  readonly problems: readonly string[];
  readonly status: number;
  /** When it arrived (Date.now()). */
  readonly at: number;
  /** The `Retry-After` it was answered with (a 429 past the rate limit). */
  readonly retryAfter?: string;
}

/** PagerDuty's per-integration-key limit, scaled for tests: 429 with `Retry-After` past it. */
export interface FakeRateLimit {
  /** Events accepted per routing key in any window of `windowMs` (PagerDuty: 120 a minute). */
  readonly events: number;
  readonly windowMs: number;
  /** `Retry-After` on a 429, in seconds. */
  readonly retryAfterSeconds: number;
  /** Send `Retry-After` as an HTTP date instead of seconds. @default false */
  readonly httpDate?: boolean;
}

export interface FakePagerDutyOptions {
  readonly port?: number;
  readonly rateLimit?: FakeRateLimit;
}

const eventActions = ['trigger', 'acknowledge', 'resolve'];
const severities = ['critical', 'error', 'warning', 'info'];

/** What the real Events API v2 rejects with 400, so tests fail on payloads PagerDuty would refuse. */
export function eventProblems(body: unknown): string[] {
  const problems: string[] = [];
  if (typeof body !== 'object' || body === null) return ['body is not a JSON object'];
  const e = body as Record<string, unknown>;
  if (typeof e['routing_key'] !== 'string' || e['routing_key'].length !== 32) {
    problems.push('routing_key must be a 32-character string');
  }
  if (!eventActions.includes(e['event_action'] as string)) problems.push('invalid event_action');
  const dedup = e['dedup_key'];
  if (dedup !== undefined && (typeof dedup !== 'string' || dedup.length > 255)) {
    problems.push('dedup_key must be a string of at most 255 characters');
  }
  if (e['event_action'] !== 'trigger' && typeof dedup !== 'string') {
    problems.push('dedup_key is required for acknowledge/resolve');
  }
  const payload = e['payload'] as Record<string, unknown> | undefined;
  if (e['event_action'] === 'trigger' && !payload) problems.push('payload is required for trigger');
  if (payload) {
    const summary = payload['summary'];
    if (typeof summary !== 'string' || summary.length === 0 || summary.length > 1024) {
      problems.push('payload.summary must be 1..1024 characters');
    }
    if (typeof payload['source'] !== 'string' || payload['source'].length === 0) {
      problems.push('payload.source is required');
    }
    if (!severities.includes(payload['severity'] as string))
      problems.push('invalid payload.severity');
  }
  if (e['links'] !== undefined && !Array.isArray(e['links']))
    problems.push('links must be an array');
  return problems;
}

export interface FakePagerDuty {
  readonly url: string;
  /** Accepted (202) events only, in arrival order. */
  readonly accepted: Record<string, unknown>[];
  /** Every request, with the status it was answered. */
  readonly received: ReceivedEvent[];
  /**
   * Status codes to answer next, one per request, before falling back to validation (202/400).
   * 0 drops the connection without an answer, like an endpoint dying mid-request.
   */
  readonly script: number[];
  close(): Promise<void>;
}

/**
 * A loopback Events API v2 endpoint that validates payloads like PagerDuty does, and with
 * `rateLimit` answers 429 (with `Retry-After`) past a number of accepted events per key.
 */
export async function startFakePagerDuty(
  options: number | FakePagerDutyOptions = {},
): Promise<FakePagerDuty> {
  const { port = 0, rateLimit } = typeof options === 'number' ? { port: options } : options;
  const accepted: Record<string, unknown>[] = [];
  const received: ReceivedEvent[] = [];
  const script: number[] = [];
  const acceptedAt = new Map<string, number[]>();
  /** Whether the key is over its limit now (and if not, counts this event against it). */
  const overLimit = (key: string, at: number): boolean => {
    if (!rateLimit) return false;
    const recent = (acceptedAt.get(key) ?? []).filter((t) => at - t < rateLimit.windowMs);
    acceptedAt.set(key, recent);
    if (recent.length >= rateLimit.events) return true;
    recent.push(at);
    return false;
  };
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => {
      text += d.toString();
    });
    req.on('end', () => {
      const at = Date.now();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const problems =
        req.method === 'POST' && req.url === '/v2/enqueue'
          ? eventProblems(body)
          : ['wrong method or path'];
      const record = (body ?? {}) as Record<string, unknown>;
      const scripted = script.shift();
      if (scripted === 0) {
        received.push({ body: record, problems, status: 0, at });
        req.socket.destroy();
        return;
      }
      const limited =
        scripted === undefined &&
        problems.length === 0 &&
        overLimit(String(record['routing_key']), at);
      const status = scripted ?? (limited ? 429 : problems.length > 0 ? 400 : 202);
      const retryAfter =
        limited && rateLimit
          ? rateLimit.httpDate
            ? new Date(at + rateLimit.retryAfterSeconds * 1000).toUTCString()
            : String(rateLimit.retryAfterSeconds)
          : undefined;
      received.push({ body: record, problems, status, at, ...(retryAfter ? { retryAfter } : {}) });
      if (status === 202) accepted.push(body as Record<string, unknown>);
      res.writeHead(status, {
        'content-type': 'application/json',
        ...(retryAfter ? { 'retry-after': retryAfter } : {}),
      });
      res.end(
        JSON.stringify(
          status === 202
            ? {
                status: 'success',
                message: 'Event processed',
                dedup_key: (body as { dedup_key?: string }).dedup_key,
              }
            : status === 400
              ? { status: 'invalid event', message: 'Event object is invalid', errors: problems }
              : { status: 'error', message: 'try again later' },
        ),
      );
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/v2/enqueue`,
    accepted,
    received,
    script,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
