import * as z from 'zod';

/**
 * How a check reaches a Kubernetes API server. The fields sit directly on the check (as SPEC.md
 * names them) so kubernetes-pods and disk (source kubelet) share them; at most one way may be set.
 */
export const clusterAccessFields = {
  kubeconfig: z
    .string()
    .min(1)
    .optional()
    .describe('Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)'),
  context: z
    .string()
    .min(1)
    .optional()
    .describe('Kubeconfig context to use (default: the current context)'),
  inCluster: z
    .boolean()
    .optional()
    .describe('Use the pod service account (token and CA under /var/run/secrets/kubernetes.io)'),
  eks: z
    .strictObject({
      clusterName: z.string().min(1).describe('EKS cluster name (signed into the IAM token)'),
      region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, {
        message: 'expected an AWS region like ap-southeast-1',
      }),
      endpoint: z
        .url()
        .optional()
        .describe('API server URL; looked up with eks:DescribeCluster when omitted'),
      caData: z
        .string()
        .min(1)
        .optional()
        .describe('Base64 cluster CA (certificateAuthority.data); looked up when omitted'),
    })
    .optional()
    .describe('Amazon EKS with an IAM identity: a fresh STS-presigned token per run'),
};

type ClusterAccessShape = typeof clusterAccessFields;
export type ClusterAccess = z.output<z.ZodObject<ClusterAccessShape>>;

/** The cluster an `eks` block names, as a grant target (lib/checks/grants.ts). */
export function eksGrantTarget(eks: NonNullable<ClusterAccess['eks']>): {
  clusterName: string;
  region: string;
} {
  return { clusterName: eks.clusterName, region: eks.region };
}

/** Describes the chosen way in, for summaries and errors (never includes credentials). */
export function describeAccess(access: ClusterAccess): string {
  if (access.eks) return `EKS cluster ${access.eks.clusterName} (${access.eks.region})`;
  if (access.inCluster) return 'in-cluster service account';
  const file = access.kubeconfig ?? 'default kubeconfig';
  return access.context ? `${file}, context ${access.context}` : file;
}

/** Rejects mixed ways in, with the offending field's path. */
export function refineClusterAccess(access: ClusterAccess, ctx: z.RefinementCtx): void {
  const kubeconfigSet = access.kubeconfig !== undefined || access.context !== undefined;
  if (access.inCluster && kubeconfigSet) {
    ctx.addIssue({
      code: 'custom',
      path: ['inCluster'],
      message: 'choose one: inCluster, kubeconfig/context, or eks',
    });
  }
  if (access.eks && (kubeconfigSet || access.inCluster)) {
    ctx.addIssue({
      code: 'custom',
      path: ['eks'],
      message: 'choose one: eks, inCluster, or kubeconfig/context',
    });
  }
  if (access.eks && (access.eks.endpoint === undefined) !== (access.eks.caData === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['eks', access.eks.endpoint === undefined ? 'endpoint' : 'caData'],
      message: 'give endpoint and caData together, or neither (then DescribeCluster finds them)',
    });
  }
}

/** Rejects cluster fields on a check that does not talk to a cluster (e.g. disk source local). */
export function rejectClusterAccess(
  access: ClusterAccess,
  ctx: z.RefinementCtx,
  why: string,
): void {
  for (const key of Object.keys(clusterAccessFields) as (keyof ClusterAccess)[]) {
    if (access[key] !== undefined) {
      ctx.addIssue({ code: 'custom', path: [key], message: why });
    }
  }
}
