import type { Config } from '../config/load-config.ts';
import { secretIds } from '../config/references.ts';
import { longestScheduleGapMinutes } from '../schedule/period.ts';

/** What the stack needs to know about a validated config, derived once at synth time. */
export interface SuitePlan {
  readonly id: string;
  readonly schedule: string;
  /** Longest normal silence between runs; undefined for one-shot `at(...)` schedules. */
  readonly longestGapMinutes: number | undefined;
}

export interface EksCluster {
  readonly clusterName: string;
  readonly region?: string;
}

const referencePattern = /^\$\{secret:([^}]+)\}$/;

export function suitePlans(config: Config, from?: Date): SuitePlan[] {
  return config.suites.map((suite) => ({
    id: suite.id,
    schedule: suite.schedule,
    longestGapMinutes: longestScheduleGapMinutes(suite.schedule, config.timezone, from),
  }));
}

/** Secret ids referenced by checks (resolved by the runner at run time). */
export function checkSecretIds(config: Config): string[] {
  return secretIds(config.checks);
}

/** The Secrets Manager id in `notifications.pagerduty.routingKey: ${secret:ID}`, if it is one. */
export function pagerDutySecretId(config: Config): string | undefined {
  const key = config.notifications.pagerduty?.routingKey;
  return key ? referencePattern.exec(key.trim())?.[1]?.trim() : undefined;
}

function walk(value: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
  } else if (value !== null && typeof value === 'object') {
    visit(value as Record<string, unknown>);
    for (const item of Object.values(value)) walk(item, visit);
  }
}

/** Every `eks: {clusterName, region}` block in the checks (cluster access through EKS). */
export function eksClusters(config: Config): EksCluster[] {
  const found = new Map<string, EksCluster>();
  walk(config.checks, (node) => {
    const eks = node['eks'] as Record<string, unknown> | undefined;
    if (eks && typeof eks === 'object' && typeof eks['clusterName'] === 'string') {
      const region = typeof eks['region'] === 'string' ? eks['region'] : undefined;
      found.set(`${region ?? ''}/${eks['clusterName']}`, {
        clusterName: eks['clusterName'],
        ...(region ? { region } : {}),
      });
    }
  });
  return [...found.values()];
}

/**
 * Check types that talk to the Kubernetes API. Data, not dispatch: it only decides whether the
 * runner bundle carries `@kubernetes/client-node` (several MB). A plugin-declared list of runtime
 * dependencies would replace this table.
 */
const kubernetesClientUsers: readonly ((check: Record<string, unknown>) => boolean)[] = [
  (check) => check['type'] === 'kubernetes-pods',
  (check) => check['source'] === 'kubelet',
  (check) => 'kubeconfig' in check || 'eks' in check || 'inCluster' in check,
];

export function needsKubernetesClient(config: Config): boolean {
  return config.checks.some((check) =>
    kubernetesClientUsers.some((uses) => uses(check as unknown as Record<string, unknown>)),
  );
}

/**
 * Buckets read by checks through AWS S3 itself (`location: s3://bucket/...` with no `endpoint`;
 * S3-compatible stores like MinIO use their own credentials).
 */
export function awsS3Buckets(config: Config): string[] {
  const buckets = new Set<string>();
  walk(config.checks, (node) => {
    const location = node['location'];
    if (typeof location !== 'string' || node['endpoint'] !== undefined) return;
    const bucket = /^s3:\/\/([^/]+)/.exec(location)?.[1];
    if (bucket) buckets.add(bucket);
  });
  return [...buckets];
}
