import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun } from '../../../lib/checks/prometheus/run.ts';
import { parseConfig } from '../../../lib/config/load-config.ts';
import {
  type Exporter,
  type PrometheusServer,
  startExporter,
  startPrometheus,
} from '../../support/prometheus-server.ts';

const credentials = {
  accessKeyId: 'AKIDEXAMPLEHEALTH',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};
const run = createRun({ awsCredentials: () => async () => credentials });

interface Seen {
  readonly headers: IncomingHttpHeaders;
  readonly signatureValid?: boolean;
}

/** Recomputes the SigV4 signature from the request as it arrived, as AWS does. */
async function verifySigV4(request: { method: string; url: string; headers: IncomingHttpHeaders }) {
  const authorization = String(request.headers['authorization'] ?? '');
  const match =
    /Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=(\w+)/.exec(
      authorization,
    );
  if (!match) return false;
  const [, , , region, service, signedHeaders] = match;
  const url = new URL(request.url, `http://${request.headers['host']}`);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const headers: Record<string, string> = {};
  for (const name of (signedHeaders ?? '').split(';'))
    headers[name] = String(request.headers[name]);
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({
    credentials,
    region: region ?? '',
    service: service ?? '',
    sha256: Sha256,
  });
  const expected = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query,
      headers,
    },
    { signingDate },
  );
  return expected.headers['authorization'] === authorization;
}

/** A recording, verifying proxy in front of the real Prometheus (the role of an AMP gateway). */
async function startProxy(upstream: string, options: { sigv4?: boolean } = {}) {
  const seen: Seen[] = [];
  const server: Server = createServer(async (request, response) => {
    const signatureValid = options.sigv4
      ? await verifySigV4({
          method: request.method ?? 'GET',
          url: request.url ?? '/',
          headers: request.headers,
        })
      : undefined;
    seen.push({
      headers: request.headers,
      ...(signatureValid === undefined ? {} : { signatureValid }),
    });
    if (signatureValid === false) {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ message: 'The request signature we calculated does not match' }),
      );
      return;
    }
    // Amazon Managed Prometheus serves the API under /workspaces/<id>/.
    const path = (request.url ?? '/').replace(/^\/workspaces\/[^/]+/, '');
    const answer = await fetch(`${upstream}${path}`);
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let exporter: Exporter;
let prometheus: PrometheusServer;

beforeAll(async () => {
  exporter = await startExporter(
    '# TYPE erp_queue_depth gauge\nerp_queue_depth{queue="orders"} 42\n',
  );
  prometheus = await startPrometheus([{ job: 'erp', targets: [exporter.target] }]);
  await prometheus.waitFor('erp_queue_depth', (s) => s.length === 1);
}, 60_000);

afterAll(async () => {
  await prometheus?.close();
  await exporter?.close();
});

function check(fields: Record<string, unknown>) {
  const config = parseConfig(
    {
      checks: [
        {
          id: 'prom',
          type: 'prometheus',
          query: 'erp_queue_depth{job="erp"} > 0',
          warning: 100,
          ...fields,
        },
      ],
    },
    { env: {} },
  );
  return config.checks[0] as Parameters<typeof run>[0];
}

const context = () => ({ signal: AbortSignal.timeout(15_000), now: new Date(), timezone: 'UTC' });

describe('prometheus check credentials', () => {
  it('bearer auth and a tenant header are sent; the token never reaches the outcome', async () => {
    const proxy = await startProxy(prometheus.url);
    try {
      const outcome = await run(
        check({
          url: `${proxy.url}/`,
          auth: { bearer: 'tok-3f9a-secret' },
          headers: { 'X-Scope-OrgID': 'erp-prod' },
        }),
        context(),
      );
      expect(outcome.status).toBe('ok');
      expect(proxy.seen[0]?.headers).toMatchObject({
        authorization: 'Bearer tok-3f9a-secret',
        'x-scope-orgid': 'erp-prod',
      });
      expect(JSON.stringify(outcome)).not.toContain('tok-3f9a-secret');
    } finally {
      await proxy.close();
    }
  });

  it('basic auth, from the auth field or the URL, with the URL password kept out of messages', async () => {
    const proxy = await startProxy(prometheus.url);
    try {
      await run(
        check({ url: proxy.url, auth: { basic: { username: 'grafana', password: 'pw-1' } } }),
        context(),
      );
      const fromUrl = await run(
        check({ url: proxy.url.replace('http://', 'http://monitor:url-pw-2@') }),
        context(),
      );
      expect(proxy.seen.map((s) => s.headers['authorization'])).toEqual([
        `Basic ${Buffer.from('grafana:pw-1').toString('base64')}`,
        `Basic ${Buffer.from('monitor:url-pw-2').toString('base64')}`,
      ]);
      expect(JSON.stringify(fromUrl)).not.toContain('url-pw-2');
    } finally {
      await proxy.close();
    }
    const down = await run(
      check({ url: proxy.url.replace('http://', 'http://monitor:url-pw-2@') }),
      context(),
    );
    expect(down.status).toBe('unknown');
    expect(down.summary).not.toContain('url-pw-2');
  });

  it('awsSigV4 signs each query so a verifier recomputing the signature accepts it', async () => {
    const proxy = await startProxy(prometheus.url, { sigv4: true });
    try {
      const outcome = await run(
        check({
          url: `${proxy.url}/workspaces/ws-0123/`,
          query: 'sum by (queue) (erp_queue_depth{job="erp", queue=~"ord.*"}) > 0',
          auth: { awsSigV4: { region: 'ap-southeast-1' } },
        }),
        context(),
      );
      expect(proxy.seen).toHaveLength(1);
      expect(proxy.seen[0]?.signatureValid).toBe(true);
      expect(proxy.seen[0]?.headers['authorization']).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLEHEALTH\/\d{8}\/ap-southeast-1\/aps\/aws4_request/,
      );
      expect(proxy.seen[0]?.headers['x-amz-security-token']).toBe('session-token-example');
      expect(outcome).toMatchObject({ status: 'ok', details: { series: [{ value: 42 }] } });
    } finally {
      await proxy.close();
    }
  });
});
