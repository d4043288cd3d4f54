import type { CheckConfig } from '../config/load-config.ts';
import type { IamGrant } from './plugin.ts';
import { findCheckPlugin } from './registry.ts';

/**
 * AWS access a check needs on Lambda, declared by its plugin (`grants` in its index.ts) so the
 * stack grants exactly that without knowing any check's field names. Plain data: no CDK here.
 */
export type CheckGrant =
  /** Read objects under `prefix` (list it, head/get its objects) in an AWS S3 bucket. */
  | {
      readonly kind: 's3-read';
      readonly bucket: string;
      readonly prefix: string;
      /** `prefix` is one object's whole key (a certificate file): grant that object, no wildcard. */
      readonly object?: boolean;
    }
  /**
   * Kubernetes reads on an EKS cluster through the runner's IAM role: pods and workloads in
   * `namespace` (undefined: all namespaces) and, with `nodes`, node stats through the API proxy.
   */
  | {
      readonly kind: 'eks';
      readonly clusterName: string;
      readonly region: string;
      readonly namespace?: string;
      readonly nodes: boolean;
    }
  /** Plain IAM actions on resources of the deploying account (e.g. aps:QueryMetrics). */
  | IamGrant;

export function isIamGrant(grant: CheckGrant): grant is IamGrant {
  return 'actions' in grant;
}

/** Every grant the checks declare, in config order, without exact duplicates. */
export function checkGrants(checks: readonly CheckConfig[]): CheckGrant[] {
  const found = new Map<string, CheckGrant>();
  for (const check of checks) {
    const declare = findCheckPlugin(check.type)?.grants as
      | ((config: unknown) => readonly CheckGrant[])
      | undefined;
    for (const grant of declare?.(check) ?? []) found.set(JSON.stringify(grant), grant);
  }
  return [...found.values()];
}
