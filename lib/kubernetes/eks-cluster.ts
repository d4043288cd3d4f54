import {
  DescribeClusterCommand,
  type DescribeClusterCommandOutput,
  type EKSClient,
} from '@aws-sdk/client-eks';

export interface EksClusterEndpoint {
  readonly endpoint: string;
  /** Base64 PEM, as `certificateAuthority.data`. */
  readonly caData: string;
}

export type DescribeEksCluster = (
  clusterName: string,
  region: string,
  signal: AbortSignal,
) => Promise<EksClusterEndpoint>;

export class EksClusterLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EksClusterLookupError';
  }
}

/** Finds the API endpoint and CA with eks:DescribeCluster, using the client the caller built. */
export function describeClusterWith(clientFor: (region: string) => EKSClient): DescribeEksCluster {
  return async (clusterName, region, signal) => {
    let answer: DescribeClusterCommandOutput;
    try {
      answer = await clientFor(region).send(new DescribeClusterCommand({ name: clusterName }), {
        abortSignal: signal,
      });
    } catch (error) {
      const name = (error as Error).name;
      const why =
        name === 'ResourceNotFoundException'
          ? `no EKS cluster named "${clusterName}" in ${region}`
          : name === 'AccessDeniedException'
            ? `the IAM identity may not call eks:DescribeCluster on ${clusterName}; grant it or set eks.endpoint and eks.caData`
            : (error as Error).message;
      throw new EksClusterLookupError(`EKS DescribeCluster failed: ${why}`);
    }
    const cluster = answer.cluster;
    const endpoint = cluster?.endpoint;
    const caData = cluster?.certificateAuthority?.data;
    if (!endpoint || !caData) {
      throw new EksClusterLookupError(
        `EKS cluster ${clusterName} has no endpoint or CA yet (is it still creating?)`,
      );
    }
    return { endpoint, caData };
  };
}
