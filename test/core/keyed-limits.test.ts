import { describe, expect, it } from 'vitest';
import type { CheckConfig } from '../../lib/config/load-config.ts';
import { checkTarget } from '../../lib/core/check-target.ts';
import { mapWithKeyedLimits } from '../../lib/core/semaphore.ts';
import { sleep } from '../../lib/shared/abort.ts';

/** Runs items that each take `ms`, recording the most in flight overall and per key. */
async function observe(keys: (string | undefined)[], limit: number, perKey: number, ms = 5) {
  let running = 0;
  let most = 0;
  const perKeyNow = new Map<string, number>();
  const perKeyMost = new Map<string, number>();
  const started: number[] = [];
  const results = await mapWithKeyedLimits(
    keys.map((key, i) => ({ key, i })),
    { limit, perKey, keyOf: (item) => item.key },
    async ({ key, i }) => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      if (key) {
        perKeyNow.set(key, (perKeyNow.get(key) ?? 0) + 1);
        perKeyMost.set(key, Math.max(perKeyMost.get(key) ?? 0, perKeyNow.get(key) ?? 0));
      }
      await sleep(ms);
      running--;
      if (key) perKeyNow.set(key, (perKeyNow.get(key) ?? 1) - 1);
      return i * 10;
    },
  );
  return { results, most, perKeyMost, started };
}

describe('mapWithKeyedLimits', () => {
  it('keeps both caps and the input order of results', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => (i % 4 === 3 ? undefined : `host-${i % 3}`));
    const { results, most, perKeyMost } = await observe(keys, 6, 2);
    expect(results).toEqual(keys.map((_, i) => i * 10));
    expect(most).toBe(6);
    expect(Math.max(...perKeyMost.values())).toBe(2);
  });

  it('a saturated key does not hold up items behind it (no head-of-line blocking)', async () => {
    const { started } = await observe(['a', 'a', 'a', 'b', undefined], 3, 1, 20);
    // First wave: a, b and the keyless item; the other a's wait for the first.
    expect(started.slice(0, 3)).toEqual([0, 3, 4]);
    expect(started.slice(3)).toEqual([1, 2]);
  });

  it('handles no items, and passes a task failure on', async () => {
    expect(
      await mapWithKeyedLimits([], { limit: 2, perKey: 1, keyOf: () => 'x' }, async () => 1),
    ).toEqual([]);
    await expect(
      mapWithKeyedLimits([1, 2], { limit: 2, perKey: 1, keyOf: () => undefined }, async (n) => {
        if (n === 2) throw new Error('boom');
        return n;
      }),
    ).rejects.toThrow('boom');
  });
});

const check = (fields: Record<string, unknown>) =>
  ({ id: 'c', type: 't', ...fields }) as unknown as CheckConfig;

describe('checkTarget', () => {
  it.each([
    [{ host: 'ERP.company.vn' }, 'erp.company.vn:443'],
    [{ host: '10.0.0.12', port: 5432 }, '10.0.0.12:5432'],
    [{ url: 'https://api.company.vn/health' }, 'api.company.vn:443'],
    [{ url: 'http://api.company.vn:8080/a' }, 'api.company.vn:8080'],
    [{ url: 'postgres://monitor:${secret:pg}@db.erp:5432/erp' }, 'db.erp:5432'],
    [{ url: 'mysql://u@db2/x' }, 'db2:3306'],
    [{ url: 'rediss://:pw@cache:6380/0' }, 'cache:6380'],
    [{ url: 'tcp://10.0.0.9:4222' }, '10.0.0.9:4222'],
    [{ url: 'https://[::1]:8443/' }, '[::1]:8443'],
    [{ endpoint: 'http://minio.data.svc:9000', location: 's3://b/k' }, 'minio.data.svc:9000'],
    [{ url: '${secret:erp/db-url}' }, undefined],
    [{ host: '${secret:h}' }, undefined],
    [{ paths: ['/'] }, undefined],
    [{ url: 'not a url' }, undefined],
  ])('%j -> %s', (fields, expected) => {
    expect(checkTarget(check(fields))).toBe(expected);
  });
});
