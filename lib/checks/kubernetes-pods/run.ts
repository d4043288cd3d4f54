import type { CheckOutcome } from '../../core/result.ts';
import { describeAccess } from '../../kubernetes/cluster-access.ts';
import { connectCluster, defaultClusterDeps } from '../../kubernetes/connect.ts';
import type { KubeClient, WorkloadKind } from '../../kubernetes/kube-client.ts';
import type { ClusterDeps } from '../../kubernetes/kube-config.ts';
import type { CheckContext } from '../plugin.ts';
import type { KubernetesPodsConfig } from './config.ts';
import { evaluatePod, type PodRules } from './evaluate-pod.ts';
import { podRules } from './pod-rules.ts';
import type { PodShape } from './pod-shape.ts';
import { newTally, type PodTally, summarizePods } from './summarize.ts';
import { evaluateWorkload, type WorkloadFinding } from './workloads.ts';

async function tallyPods(
  client: KubeClient,
  config: KubernetesPodsConfig,
  rules: PodRules,
  signal: AbortSignal,
): Promise<PodTally> {
  const tally = newTally();
  const pages = client.podPages(
    {
      ...(config.namespace ? { namespace: config.namespace } : {}),
      ...(config.labelSelector ? { labelSelector: config.labelSelector } : {}),
      pageSize: config.pageSize,
    },
    signal,
  );
  // Each page is judged and dropped before the next arrives, so memory stays flat.
  for await (const page of pages) {
    tally.pages++;
    for (const pod of page as PodShape[]) {
      tally.podsChecked++;
      const phase = pod.status?.phase ?? 'Unknown';
      tally.phases[phase] = (tally.phases[phase] ?? 0) + 1;
      const finding = evaluatePod(pod, rules);
      if (finding) tally.findings.push(finding);
    }
  }
  return tally;
}

const workloadKinds: readonly WorkloadKind[] = ['deployments', 'statefulsets', 'daemonsets'];

async function checkWorkloads(
  client: KubeClient,
  config: KubernetesPodsConfig,
  signal: AbortSignal,
): Promise<{ checked: number; findings: WorkloadFinding[] }> {
  let checked = 0;
  const findings: WorkloadFinding[] = [];
  await Promise.all(
    workloadKinds.map(async (kind) => {
      const pages = client.workloadPages(
        kind,
        {
          ...(config.namespace ? { namespace: config.namespace } : {}),
          ...(config.labelSelector ? { labelSelector: config.labelSelector } : {}),
          pageSize: config.pageSize,
        },
        signal,
      );
      for await (const page of pages) {
        for (const item of page) {
          checked++;
          const finding = evaluateWorkload(kind, item);
          if (finding) findings.push(finding);
        }
      }
    }),
  );
  return { checked, findings };
}

/** The check with its cluster dependencies injected (tests pass fixed AWS credentials/clock). */
export function createRun(deps: ClusterDeps = defaultClusterDeps) {
  return async (config: KubernetesPodsConfig, context: CheckContext): Promise<CheckOutcome> => {
    // When one request fails, the others in flight are cancelled rather than left running.
    const failed = new AbortController();
    const signal = AbortSignal.any([context.signal, failed.signal]);
    const client = await connectCluster(config, signal, deps);
    const rules = podRules(config, context);
    const [tally, workloads] = await Promise.all([
      tallyPods(client, config, rules, signal),
      config.workloads ? checkWorkloads(client, config, signal) : undefined,
    ]).catch((error: unknown) => {
      failed.abort(error);
      throw error;
    });
    return summarizePods(tally, {
      scope: config.namespace ? `namespace ${config.namespace}` : 'all namespaces',
      ...(config.labelSelector ? { labelSelector: config.labelSelector } : {}),
      listLimit: config.listLimit,
      ...(workloads ? { workloads: workloads.findings, workloadsChecked: workloads.checked } : {}),
      extra: {
        cluster: describeAccess(config),
        server: client.server,
        namespace: config.namespace ?? '(all)',
        ...(config.labelSelector ? { labelSelector: config.labelSelector } : {}),
      },
    });
  };
}

export const run = createRun();
