import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadCheckFromRegistry } from '../../lib/checks/load-check.ts';
import { type CheckConfig, parseConfig } from '../../lib/config/load-config.ts';
import { runChecks } from '../../lib/core/engine.ts';
import {
  kubeDeployment,
  kubeletSummary,
  kubeNode,
  kubePod,
  startFakeKubeApi,
} from '../support/fake-kube-api.ts';
import { repoRoot } from '../support/run-cli.ts';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** The RBAC permission a request needs: `<group or core>/<resource>[/<sub>]:<verb>`. */
function permissionOf(method: string, path: string, query: Record<string, string>): string {
  const parts = path.split('/').filter(Boolean);
  // /api/v1/... is the core group; /apis/<group>/<version>/...
  const [group, rest] = parts[0] === 'api' ? ['core', parts.slice(2)] : [parts[1], parts.slice(3)];
  const segments = rest[0] === 'namespaces' && rest.length > 2 ? rest.slice(2) : rest;
  const [resource, name, sub] = segments;
  const named = name !== undefined;
  const verb =
    method === 'GET' ? (named ? 'get' : query['watch'] ? 'watch' : 'list') : method.toLowerCase();
  return `${group}/${resource}${sub ? `/${sub}` : ''}:${verb}`;
}

describe('deploy/kubernetes/healthcheck-rbac.yaml', () => {
  const docs = parseAllDocuments(
    readFileSync(`${repoRoot}deploy/kubernetes/healthcheck-rbac.yaml`, 'utf8'),
  ).map((d) => d.toJS() as { kind: string; rules?: Rule[]; roleRef?: { name: string } });
  const role = docs.find((d) => d.kind === 'ClusterRole');
  const granted = (role?.rules ?? []).flatMap((r) =>
    r.resources.flatMap((res) => r.verbs.map((v) => `${r.apiGroups[0] || 'core'}/${res}:${v}`)),
  );

  it('grants exactly what the Kubernetes checks call, through KubeClient, and nothing that writes', {
    timeout: 120_000,
  }, async () => {
    const now = new Date();
    const api = await startFakeKubeApi({
      pods: [kubePod({ name: 'web-1', namespace: 'prod', phase: 'Running' })],
      nodes: [kubeNode('node-a')],
      summaries: {
        'node-a': kubeletSummary('node-a', {
          nodeFs: { capacityBytes: 100 * 2 ** 30, usedBytes: 10 * 2 ** 30 },
        }),
      },
      workloads: {
        deployments: [kubeDeployment('web', 'prod', 2, 2)],
        statefulsets: [kubeDeployment('db', 'prod', 1, 1, 'StatefulSet')],
        daemonsets: [kubeDeployment('agent', 'prod', 1, 1, 'DaemonSet')],
      },
    });
    afterAll(() => api.close());
    const kubeconfig = api.kubeconfigPath();
    const config = parseConfig(
      {
        checks: [
          // Every option that reaches the API: all namespaces and one, workloads, kubelet stats.
          { id: 'pods-all', type: 'kubernetes-pods', kubeconfig, workloads: true },
          {
            id: 'pods-ns',
            type: 'kubernetes-pods',
            kubeconfig,
            namespace: 'prod',
            workloads: true,
          },
          { id: 'node-disks', type: 'disk', source: 'kubelet', kubeconfig },
        ],
      },
      { env: {} },
    );
    const results = await runChecks(config.checks as CheckConfig[], {
      timezone: 'UTC',
      loadCheck: loadCheckFromRegistry,
      now: () => now,
    });
    // The calls must have succeeded (a denied or broken call would hide a permission).
    expect(results.map((r) => [r.check, r.status === 'unknown' ? r.summary : 'decided'])).toEqual([
      ['pods-all', 'decided'],
      ['pods-ns', 'decided'],
      ['node-disks', 'decided'],
    ]);
    const used = [...new Set(api.requests.map((r) => permissionOf(r.method, r.path, r.query)))];
    expect(used.length).toBeGreaterThanOrEqual(5);
    expect(used.every((p) => p.endsWith(':get') || p.endsWith(':list'))).toBe(true);
    expect([...granted].sort()).toEqual([...used].sort());
  });

  it('binds the role', () => {
    expect(docs.find((d) => d.kind === 'ClusterRoleBinding')?.roleRef?.name).toBe(
      'healthcheck-read',
    );
  });
});
