import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/http/run.ts';
import { checkContext, httpConfig } from './http-config.ts';
import { type RealNats, startNats } from './nats-server.ts';

let nats: RealNats;
let monitor = '';

beforeAll(async () => {
  nats = await startNats();
  monitor = nats.monitor;
});

afterAll(async () => {
  await nats?.stop();
});

describe('http check against a real NATS server', () => {
  it('reads /healthz and /varz', async () => {
    const health = await run(
      httpConfig({ url: `${monitor}/healthz`, assertions: [{ path: '$.status', equals: 'ok' }] }),
      checkContext(),
    );
    expect(health.status).toBe('ok');
    const varz = await run(
      httpConfig({
        url: `${monitor}/varz`,
        assertions: [
          { path: '$.slow_consumers', equals: 0 },
          { path: '$.server_id', exists: true },
          { path: '$.mem', greaterThan: 0 },
        ],
      }),
      checkContext(),
    );
    expect(varz.status).toBe('ok');
    expect(varz.details).toMatchObject({ status: 200, assertionsPassed: 3 });
  });

  it("names the server's actual value when an assertion fails", async () => {
    const varz = (await (await fetch(`${monitor}/varz`)).json()) as { max_payload: number };
    const outcome = await run(
      httpConfig({
        url: `${monitor}/varz`,
        assertions: [{ path: '$.max_payload', lessThan: 1024 }],
      }),
      checkContext(),
    );
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toBe(
      `GET ${monitor}/varz: $.max_payload is ${varz.max_payload}, expected < 1024`,
    );
  });
});
