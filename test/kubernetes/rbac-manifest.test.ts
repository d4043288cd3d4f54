import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../support/run-cli.ts';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

describe('deploy/kubernetes/healthcheck-rbac.yaml', () => {
  const docs = parseAllDocuments(
    readFileSync(`${repoRoot}deploy/kubernetes/healthcheck-rbac.yaml`, 'utf8'),
  ).map((d) => d.toJS() as { kind: string; rules?: Rule[]; roleRef?: { name: string } });
  const role = docs.find((d) => d.kind === 'ClusterRole');

  it('grants exactly the read verbs the checks use, and nothing that writes', () => {
    const grants = (role?.rules ?? []).flatMap((r) =>
      r.resources.flatMap((res) => r.verbs.map((v) => `${r.apiGroups[0] || 'core'}/${res}:${v}`)),
    );
    expect(grants.sort()).toEqual([
      'apps/daemonsets:list',
      'apps/deployments:list',
      'apps/statefulsets:list',
      'core/nodes/proxy:get',
      'core/nodes:list',
      'core/pods:list',
    ]);
  });

  it('binds the role', () => {
    expect(docs.find((d) => d.kind === 'ClusterRoleBinding')?.roleRef?.name).toBe(
      'healthcheck-read',
    );
  });
});
