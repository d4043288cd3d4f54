import { defaultAwsCredentials } from '../shared/aws-signing.ts';
import type { ClusterAccess } from './cluster-access.ts';
import { KubeClient } from './kube-client.ts';
import { type ClusterDeps, kubeConfigFor } from './kube-config.ts';

/** The AWS SDK's default credential chain and DescribeCluster, imported only for EKS users. */
export const defaultClusterDeps: ClusterDeps = {
  awsCredentials: defaultAwsCredentials,
  describeEksCluster: async (clusterName, region, signal) => {
    const { EKSClient } = await import('@aws-sdk/client-eks');
    const { describeClusterWith } = await import('./eks-cluster.ts');
    return describeClusterWith((r) => new EKSClient({ region: r }))(clusterName, region, signal);
  },
  now: () => new Date(),
};

/** A client for the configured cluster; called once per check run (fresh EKS token each time). */
export async function connectCluster(
  access: ClusterAccess,
  signal: AbortSignal,
  deps: ClusterDeps = defaultClusterDeps,
): Promise<KubeClient> {
  return new KubeClient(await kubeConfigFor(access, deps, signal));
}
