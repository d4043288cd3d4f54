import { describe, expect, it } from 'vitest';
import { packageUse } from '../../lib/checks/runtime-packages.ts';
import { parseConfig } from '../../lib/config/load-config.ts';

function checksOf(checks: Record<string, unknown>[]) {
  return parseConfig({ checks }, { env: {} }).checks;
}

describe('packages a config needs in its Lambda bundle', () => {
  it('keeps only the drivers the checks use', () => {
    const use = packageUse(
      checksOf([
        { id: 'pg', type: 'connection-pool', engine: 'postgres', url: 'postgres://h/db' },
        { id: 'disk', type: 'disk', paths: ['/'] },
      ]),
    );
    expect(use.used).toEqual(['pg']);
    expect(use.unused).toEqual(['@kubernetes/client-node', 'jsonpath-plus', 'mysql2', 'redis']);
  });

  it('needs client-node for pods and for kubelet disk usage, not for local disks', () => {
    expect(packageUse(checksOf([{ id: 'd', type: 'disk', paths: ['/'] }])).used).toEqual([]);
    expect(packageUse(checksOf([{ id: 'd', type: 'disk', source: 'kubelet' }])).used).toEqual([
      '@kubernetes/client-node',
    ]);
    expect(
      packageUse(checksOf([{ id: 'p', type: 'kubernetes-pods', namespace: 'prod' }])).used,
    ).toEqual(['@kubernetes/client-node']);
  });
});
