import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/kubernetes-pods/run.ts';
import { loadCheckFromRegistry } from '../../../lib/checks/load-check.ts';
import { type CheckConfig, parseConfig } from '../../../lib/config/load-config.ts';
import { runChecks } from '../../../lib/core/engine.ts';
import type { CheckResult } from '../../../lib/core/result.ts';
import {
  type FakeKubeApi,
  type FakeKubeApiOptions,
  kubeDeployment,
  kubePod,
  startFakeKubeApi,
} from '../../support/fake-kube-api.ts';
import { now, podZoo } from './pod-fixtures.ts';

const servers: FakeKubeApi[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function fakeApi(options: FakeKubeApiOptions): Promise<FakeKubeApi> {
  const api = await startFakeKubeApi(options);
  servers.push(api);
  return api;
}

function podsConfig(fields: Record<string, unknown>) {
  const config = parseConfig(
    { checks: [{ id: 'prod-pods', type: 'kubernetes-pods', timeoutSeconds: 10, ...fields }] },
    { env: {} },
  );
  return config.checks[0] as Parameters<typeof run>[0];
}

const context = (extra: Partial<Parameters<typeof run>[1]> = {}) => ({
  signal: AbortSignal.timeout(10_000),
  now,
  timezone: 'UTC',
  ...extra,
});

interface PodDetail {
  pod: string;
  namespace: string;
  status: string;
  reasons: string[];
  restarts: number;
  age: string;
  hints: string[];
}

async function runEngine(fields: Record<string, unknown>): Promise<CheckResult> {
  const [result] = await runChecks([podsConfig(fields) as unknown as CheckConfig], {
    timezone: 'UTC',
    loadCheck: loadCheckFromRegistry,
    now: () => now,
  });
  if (!result) throw new Error('no result');
  return result;
}

describe('kubernetes-pods through client-node and a kubeconfig', () => {
  it('flags each failure reason with its status, and never completed or fresh pods', async () => {
    const zoo = podZoo();
    const api = await fakeApi({
      pods: [...Object.values(zoo.flagged), ...Object.values(zoo.fine)],
    });
    const outcome = await run(
      podsConfig({
        kubeconfig: api.kubeconfigPath(),
        namespace: 'secureconnect-prod',
        listLimit: 20,
      }),
      context(),
    );
    const pods = outcome.details?.['pods'] as PodDetail[];
    const byName = Object.fromEntries(pods.map((p) => [p.pod, p]));
    expect(Object.keys(byName).sort()).toEqual(Object.keys(zoo.flagged).sort());
    const verdicts = Object.fromEntries(
      pods.map((p) => [p.pod, `${p.status}:${p.reasons.join('+')}`]),
    );
    expect(verdicts).toEqual({
      'chat-service-7d9f8b6c5-x2k4q': 'critical:CrashLoopBackOff+OOMKilled+Restarts',
      'api-gateway-5c6d7e8f9-imgpl': 'critical:ImagePullBackOff',
      'video-service-6b7c8d9e0-errim': 'critical:ErrImagePull',
      'auth-service-4a5b6c7d8-cfgerr': 'critical:CreateContainerConfigError',
      'notify-worker-1a2b3c4d5-other': 'warning:ContainerStatusUnknown',
      'search-api-2b3c4d5e6-oomkd': 'warning:OOMKilled',
      'cockroachdb-2': 'critical:Pending',
      'presence-svc-3c4d5e6f7-nrdy': 'warning:NotReady',
      'media-relay-4d5e6f7a8-rstrt': 'warning:Restarts',
      'report-gen-5e6f7a8b9-faild': 'critical:Failed',
      'ws-gateway-6f7a8b9c0-evict': 'warning:Evicted',
      'turn-server-7a8b9c0d1-unkwn': 'critical:Unknown',
      'old-api-8b9c0d1e2-termn': 'warning:Terminating',
      'db-migrate-29382-failj': 'warning:Failed',
      'chat-service-7d9f8b6c5-init1': 'critical:CrashLoopBackOff',
    });
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toMatch(
      /^15 of 22 pods failing in namespace secureconnect-prod: chat-service-7d9f8b6c5-x2k4q \(CrashLoopBackOff, 12 restarts, last OOMKilled\), /,
    );
    expect(outcome.details?.['byReason']).toMatchObject({
      CrashLoopBackOff: 2,
      Failed: 2,
      Pending: 1,
    });
    const crash = byName['chat-service-7d9f8b6c5-x2k4q'];
    expect(crash).toMatchObject({ namespace: 'secureconnect-prod', restarts: 12, age: '2h' });
    expect(crash?.hints[0]).toBe(
      'kubectl logs chat-service-7d9f8b6c5-x2k4q -n secureconnect-prod --previous -c chat-service (why the last run exited)',
    );
    expect(crash?.hints[1]).toMatch(/raise resources\.limits\.memory of container chat-service/);
    expect(byName['api-gateway-5c6d7e8f9-imgpl']?.hints[0]).toMatch(/image tag .*imagePullSecrets/);
    expect(byName['cockroachdb-2']?.hints[0]).toMatch(
      /kubectl describe pod cockroachdb-2 -n secureconnect-prod/,
    );
  });

  it('is ok when every pod is healthy, counting completed Job pods apart', async () => {
    const zoo = podZoo();
    const api = await fakeApi({
      pods: [zoo.fine['chat-service-7d9f8b6c5-ok001'], zoo.fine['backup-29381-done1']].filter(
        (p) => p !== undefined,
      ),
    });
    const outcome = await run(podsConfig({ kubeconfig: api.kubeconfigPath() }), context());
    expect(outcome.status).toBe('ok');
    expect(outcome.summary).toBe('1 pods healthy in all namespaces, 1 completed');
    expect(api.requests.map((r) => r.path)).toEqual(['/api/v1/pods']);
  });

  it('pages through the list with limit and continue tokens', async () => {
    const pods = Array.from({ length: 23 }, (_, i) =>
      kubePod({ now, name: `chat-service-7d9f8b6c5-p${i}`, namespace: i % 2 ? 'a' : 'b' }),
    );
    pods.push(
      kubePod({
        now,
        name: 'last-one-crashing',
        namespace: 'b',
        containers: [{ name: 'x', waiting: { reason: 'CrashLoopBackOff' } }],
      }),
    );
    const api = await fakeApi({ pods });
    const outcome = await run(
      podsConfig({ kubeconfig: api.kubeconfigPath(), pageSize: 5 }),
      context(),
    );
    const pages = api.requests.filter((r) => r.path === '/api/v1/pods');
    expect(pages).toHaveLength(5);
    expect(pages.every((r) => r.query['limit'] === '5')).toBe(true);
    expect(pages[0]?.query['continue']).toBeUndefined();
    expect(pages.slice(1).every((r) => (r.query['continue'] ?? '').length > 0)).toBe(true);
    expect(new Set(pages.map((r) => r.query['continue'])).size).toBe(5);
    expect(outcome.details).toMatchObject({ podsChecked: 24, pages: 5, failingPods: 1 });
    expect(outcome.summary).toMatch(/^1 of 24 pods failing in all namespaces: last-one-crashing/);
  });

  it('passes the labelSelector and namespace to the API', async () => {
    const zoo = podZoo();
    const api = await fakeApi({ pods: Object.values(zoo.flagged) });
    const outcome = await run(
      podsConfig({
        kubeconfig: api.kubeconfigPath(),
        namespace: 'secureconnect-prod',
        labelSelector: 'app=api-gateway',
      }),
      context(),
    );
    expect(api.requests[0]?.path).toBe('/api/v1/namespaces/secureconnect-prod/pods');
    expect(api.requests[0]?.query['labelSelector']).toBe('app=api-gateway');
    expect(outcome.details?.['podsChecked']).toBe(1);
    expect(outcome.summary).toMatch(
      /\(app=api-gateway\): api-gateway-5c6d7e8f9-imgpl \(ImagePullBackOff\)$/,
    );
  });

  it('reports OOM kills since the previous run even when older than the window', async () => {
    const api = await fakeApi({
      pods: [
        kubePod({
          now,
          name: 'search-api-2b3c4d5e6-oom2h',
          containers: [
            {
              name: 'search-api',
              restarts: 1,
              lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedMinutesAgo: 120 },
            },
          ],
        }),
      ],
    });
    const config = podsConfig({ kubeconfig: api.kubeconfigPath(), oomWindowMinutes: 60 });
    const withoutHistory = await run(config, context());
    expect(withoutHistory.status).toBe('ok');
    const previous: CheckResult = {
      check: 'prod-pods',
      type: 'kubernetes-pods',
      status: 'ok',
      summary: '',
      details: {},
      durationMs: 1,
      startedAt: new Date(now.getTime() - 3 * 3600_000).toISOString(),
      finishedAt: new Date(now.getTime() - 3 * 3600_000).toISOString(),
    };
    const withHistory = await run(config, context({ previous }));
    expect(withHistory.status).toBe('warning');
    expect(withHistory.summary).toMatch(/search-api-2b3c4d5e6-oom2h \(1 restart, last OOMKilled\)/);
  });

  it('checks workloads: available below desired', async () => {
    const api = await fakeApi({
      pods: [kubePod({ now, name: 'chat-service-7d9f8b6c5-ok001' })],
      workloads: {
        deployments: [
          kubeDeployment('chat-service', 'secureconnect-prod', 3, 1),
          kubeDeployment('api-gateway', 'secureconnect-prod', 2, 2),
        ],
        statefulsets: [kubeDeployment('cockroachdb', 'secureconnect-prod', 3, 0, 'StatefulSet')],
        daemonsets: [kubeDeployment('fluent-bit', 'kube-system', 4, 4, 'DaemonSet')],
      },
    });
    const outcome = await run(
      podsConfig({ kubeconfig: api.kubeconfigPath(), workloads: true }),
      context(),
    );
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toBe(
      '2 workloads below desired: statefulset/cockroachdb 0/3 available, deployment/chat-service 1/3 available',
    );
    expect(outcome.details?.['workloadsChecked']).toBe(4);
  });

  it('uses the configured context, not the current one', async () => {
    const api = await fakeApi({ pods: [kubePod({ now, name: 'a-1-2' })] });
    const path = api.kubeconfigPath({ context: 'prod', extraContexts: ['staging'] });
    const outcome = await run(podsConfig({ kubeconfig: path, context: 'prod' }), context());
    expect(outcome.status).toBe('ok');
    // The file's current context points at a closed port.
    const current = await runEngine({ kubeconfig: path });
    expect(current.status).toBe('unknown');
    expect(current.summary).toMatch(
      /cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:1 to list pods/,
    );
    const missing = await runEngine({ kubeconfig: path, context: 'nope' });
    expect(missing.summary).toMatch(/context "nope" is not in .*\(contexts: prod, staging\)/);
  });
});

describe('kubernetes-pods API failures make the check unknown with what to fix', () => {
  it('401: names the credentials, without echoing them', async () => {
    const api = await fakeApi({ pods: [] });
    const result = await runEngine({
      kubeconfig: api.kubeconfigPath({ token: 'expired-token-123' }),
    });
    expect(result.status).toBe('unknown');
    expect(result.summary).toMatch(
      /unauthorized: .* rejected the credentials when trying to list pods/,
    );
    expect(JSON.stringify(result)).not.toContain('expired-token-123');
  });

  it('403: names the verb, resource and namespace, and the RBAC manifest', async () => {
    const api = await fakeApi({ pods: [], failWith: { status: 403 } });
    const result = await runEngine({
      kubeconfig: api.kubeconfigPath(),
      namespace: 'secureconnect-prod',
    });
    expect(result.status).toBe('unknown');
    expect(result.summary).toMatch(
      /^check failed: forbidden: cannot list pods in namespace secureconnect-prod \(pods is forbidden: User "system:serviceaccount:monitoring:healthcheck".*\); apply deploy\/kubernetes\/healthcheck-rbac\.yaml/,
    );
  });

  it('403 on workloads names deployments', async () => {
    const api = await fakeApi({
      pods: [kubePod({ now, name: 'a-1-2' })],
      failWith: { status: 403, path: /deployments/ },
    });
    const result = await runEngine({ kubeconfig: api.kubeconfigPath(), workloads: true });
    expect(result.summary).toMatch(/forbidden: cannot list deployments \(all namespaces\)/);
  });

  it('timeout: the deadline aborts the request in flight', async () => {
    const api = await fakeApi({ pods: [], failWith: { status: 'hang' } });
    const started = Date.now();
    await expect(
      run(
        podsConfig({ kubeconfig: api.kubeconfigPath() }),
        context({ signal: AbortSignal.timeout(300) }),
      ),
    ).rejects.toThrow(
      /no answer from https:\/\/127\.0\.0\.1:\d+ to list pods \(all namespaces\) before the check's deadline/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    const result = await runEngine({ kubeconfig: api.kubeconfigPath(), timeoutSeconds: 0.5 });
    expect(result).toMatchObject({ status: 'unknown', summary: 'timed out after 0.5s' });
  });

  it('a missing kubeconfig file is unknown with the path', async () => {
    const result = await runEngine({ kubeconfig: '/definitely/not/here/kubeconfig' });
    expect(result.status).toBe('unknown');
    expect(result.summary).toMatch(/cannot load \/definitely\/not\/here\/kubeconfig: .*ENOENT/);
  });
});

describe('kubernetes-pods config', () => {
  it('rejects mixed ways into the cluster and bad fields, with their paths', () => {
    expect(() =>
      podsConfig({ kubeconfig: '/k', eks: { clusterName: 'prod', region: 'ap-southeast-1' } }),
    ).toThrow(/checks\[0\]\.eks: choose one/);
    expect(() => podsConfig({ namespace: 'Bad_NS' })).toThrow(/checks\[0\]\.namespace/);
    expect(() => podsConfig({ eks: { clusterName: 'prod', region: 'nowhere' } })).toThrow(
      /checks\[0\]\.eks\.region: expected an AWS region/,
    );
    expect(() =>
      podsConfig({ eks: { clusterName: 'p', region: 'us-east-1', endpoint: 'https://x' } }),
    ).toThrow(/checks\[0\]\.eks\.caData: give endpoint and caData together/);
    expect(podsConfig({})).toMatchObject({ maxRestarts: 5, pendingMinutes: 10, pageSize: 250 });
  });
});

describe('kubernetes-pods output stays bounded', () => {
  it('10,000 failing pods: counts by reason plus the first pods, a few KB', async () => {
    const { evaluatePod } = await import('../../../lib/checks/kubernetes-pods/evaluate-pod.ts');
    const { newTally, summarizePods } = await import(
      '../../../lib/checks/kubernetes-pods/summarize.ts'
    );
    const { podRules } = await import('../../../lib/checks/kubernetes-pods/pod-rules.ts');
    const template = kubePod({
      now,
      name: 'x',
      containers: [{ name: 'app', restarts: 30, waiting: { reason: 'CrashLoopBackOff' } }],
    }) as { metadata: { name: string } };
    const rules = podRules(podsConfig({}), context());
    const tally = newTally();
    for (let i = 0; i < 10_000; i++) {
      tally.podsChecked++;
      const finding = evaluatePod(
        { ...template, metadata: { ...template.metadata, name: `chat-service-${i}` } },
        rules,
      );
      if (finding) tally.findings.push(finding);
    }
    const outcome = summarizePods(tally, { scope: 'all namespaces', listLimit: 10 });
    expect(outcome.details).toMatchObject({
      failingPods: 10_000,
      podsOmitted: 9_990,
      byReason: { CrashLoopBackOff: 10_000, Restarts: 10_000 },
    });
    expect(outcome.details?.['pods']).toHaveLength(10);
    expect(outcome.summary).toMatch(/, and 9997 more$/);
    expect(Buffer.byteLength(JSON.stringify(outcome))).toBeLessThan(8 * 1024);
  });
});
