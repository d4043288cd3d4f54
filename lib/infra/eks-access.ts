import { Aws, CfnCondition, Fn } from 'aws-cdk-lib';
import { CfnAccessEntry } from 'aws-cdk-lib/aws-eks';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { CheckGrant } from '../checks/grants.ts';

type EksGrant = Extract<CheckGrant, { kind: 'eks' }>;

/** The Kubernetes group deploy/kubernetes/healthcheck-rbac.yaml binds to its read-only ClusterRole. */
export const readerGroup = 'healthcheck-readers';

export interface ClusterAccessPlan {
  readonly clusterName: string;
  readonly region: string;
  /** Namespaces the pods checks read; `all` when one reads every namespace. */
  readonly namespaces: readonly string[] | 'all';
  /** Whether pods checks read the cluster at all (then `AmazonEKSViewPolicy` is associated). */
  readonly pods: boolean;
  /** Whether a check reads node stats (disk source kubelet): needs the RBAC group's ClusterRole. */
  readonly nodes: boolean;
}

/** One plan per cluster the checks name, merging what every check on it reads. */
export function clusterAccessPlans(grants: readonly EksGrant[]): ClusterAccessPlan[] {
  const plans = new Map<string, ClusterAccessPlan>();
  for (const grant of grants) {
    const key = `${grant.region}/${grant.clusterName}`;
    const plan = plans.get(key) ?? {
      clusterName: grant.clusterName,
      region: grant.region,
      namespaces: [],
      pods: false,
      nodes: false,
    };
    const namespaces =
      grant.nodes || plan.namespaces === 'all'
        ? plan.namespaces
        : grant.namespace === undefined
          ? 'all'
          : [...new Set([...plan.namespaces, grant.namespace])].sort();
    plans.set(key, {
      ...plan,
      namespaces,
      pods: plan.pods || !grant.nodes,
      nodes: plan.nodes || grant.nodes,
    });
  }
  return [...plans.values()];
}

export interface EksAccessEntriesProps {
  readonly role: IRole;
  readonly plans: readonly ClusterAccessPlan[];
}

/**
 * An EKS access entry per cluster for the runner's role, so the checks need no manual
 * `aws eks create-access-entry`: the group `healthcheck-readers` (node stats for disk source
 * kubelet, once the RBAC manifest is applied) and `AmazonEKSViewPolicy` scoped to the namespaces
 * the pods checks read. A namespace-scoped view policy cannot grant cluster-scoped `nodes` or
 * `nodes/proxy`, hence the group. An entry is created only where the stack deploys to the
 * cluster's region (a CloudFormation condition), in the stack's account.
 */
export class EksAccessEntries extends Construct {
  readonly entries: CfnAccessEntry[] = [];

  constructor(scope: Construct, id: string, props: EksAccessEntriesProps) {
    super(scope, id);
    props.plans.forEach((plan, index) => {
      const sameRegion = new CfnCondition(this, `InClusterRegion${index}`, {
        expression: Fn.conditionEquals(Aws.REGION, plan.region),
      });
      const entry = new CfnAccessEntry(this, `Entry${index}`, {
        clusterName: plan.clusterName,
        principalArn: props.role.roleArn,
        type: 'STANDARD',
        kubernetesGroups: [readerGroup],
        ...(plan.pods
          ? {
              accessPolicies: [
                {
                  policyArn: `arn:${Aws.PARTITION}:eks::aws:cluster-access-policy/AmazonEKSViewPolicy`,
                  accessScope:
                    plan.namespaces === 'all'
                      ? { type: 'cluster' }
                      : { type: 'namespace', namespaces: [...plan.namespaces] },
                },
              ],
            }
          : {}),
      });
      entry.cfnOptions.condition = sameRegion;
      this.entries.push(entry);
    });
  }
}
