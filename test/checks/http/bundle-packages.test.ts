import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../../lib/config/load-config.ts';
import { startTestHttpServer, type TestHttpServer } from './http-test-server.ts';

// What a Lambda bundle holds when no check reads JSON: the construct's stub instead of jsonpath-plus.
vi.mock('jsonpath-plus', () =>
  createRequire(import.meta.url)('../../../lib/infra/omitted-package-stub.cjs'),
);

let web: TestHttpServer;
beforeAll(async () => {
  web = await startTestHttpServer();
});
afterAll(async () => {
  await web?.close();
});

const checks = (list: Record<string, unknown>[]) =>
  parseConfig({ checks: list.map((c, i) => ({ id: `c${i}`, type: 'http', ...c })) }, { env: {} })
    .checks;

describe('a Lambda bundle with jsonpath-plus left out', () => {
  it('leaves status, timing and text checks working without it', async () => {
    const { run } = await import('../../../lib/checks/http/run.ts');
    const [config] = checks([{ url: `${web.origin}/unavailable`, bodyContains: 'DOWN' }]);
    const outcome = await run(config as never, {
      signal: AbortSignal.timeout(10_000),
      now: new Date(),
      timezone: 'UTC',
    });
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toMatch(/status 503 \(expected 2xx\)/);
  });
});
