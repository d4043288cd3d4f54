import { s3Reads } from '../checks/aws-access.ts';
import { packageUse } from '../checks/runtime-packages.ts';
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

/** Declared heavy packages (drivers, client-node) that no check in the config uses. */
export function unusedPackages(config: Config): readonly string[] {
  return packageUse(config.checks).unused;
}

export function needsKubernetesClient(config: Config): boolean {
  return !unusedPackages(config).includes('@kubernetes/client-node');
}

/**
 * Buckets read by checks through AWS S3 itself, as the check plugins declare them (`grants` of
 * kind `s3-read`: backup `location` and tls-certificate `file` under s3:// with no `endpoint`;
 * S3-compatible stores like MinIO use their own credentials).
 */
export function awsS3Buckets(config: Config): string[] {
  return [...new Set(s3Reads(config.checks).map((read) => read.bucket))];
}
