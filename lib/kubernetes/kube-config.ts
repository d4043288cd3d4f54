import { type ClusterAccess, describeAccess } from './cluster-access.ts';
import type { DescribeEksCluster } from './eks-cluster.ts';
import type { AwsCredentialsProvider } from './eks-token.ts';
import { LeanKubeConfig } from './lean-kube-config.ts';

/** What reaching a cluster may need from outside, injected so tests use fixed ones. */
export interface ClusterDeps {
  /** AWS credentials for EKS (default: the SDK's provider chain). */
  readonly awsCredentials: (region: string) => AwsCredentialsProvider;
  readonly describeEksCluster: DescribeEksCluster;
  readonly now: () => Date;
}

export class ClusterConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterConfigError';
  }
}

function loadKubeconfig(access: ClusterAccess): LeanKubeConfig {
  const kc = new LeanKubeConfig();
  try {
    if (access.inCluster) kc.loadFromCluster();
    else if (access.kubeconfig) kc.loadFromFile(expandHome(access.kubeconfig));
    else kc.loadFromDefault();
  } catch (error) {
    throw new ClusterConfigError(
      `cannot load ${describeAccess(access)}: ${(error as Error).message}`,
    );
  }
  if (access.context) {
    if (!kc.getContextObject(access.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new ClusterConfigError(
        `context "${access.context}" is not in ${access.kubeconfig ?? 'the kubeconfig'} (contexts: ${known.join(', ') || 'none'})`,
      );
    }
    kc.setCurrentContext(access.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new ClusterConfigError(`${describeAccess(access)} names no cluster`);
  }
  return kc;
}

function expandHome(path: string): string {
  return path.startsWith('~/') ? `${process.env['HOME'] ?? ''}${path.slice(1)}` : path;
}

async function loadEks(
  eks: NonNullable<ClusterAccess['eks']>,
  deps: ClusterDeps,
  signal: AbortSignal,
): Promise<LeanKubeConfig> {
  const [cluster, credentials] = await Promise.all([
    eks.endpoint && eks.caData
      ? { endpoint: eks.endpoint, caData: eks.caData }
      : deps.describeEksCluster(eks.clusterName, eks.region, signal),
    deps.awsCredentials(eks.region)(),
  ]);
  // A fresh token per run: EKS rejects tokens older than about 15 minutes.
  // The SigV4 signer is loaded only for EKS clusters (about 25 MB a kubeconfig user never needs).
  const { eksToken } = await import('./eks-token.ts');
  const token = await eksToken({
    clusterName: eks.clusterName,
    region: eks.region,
    credentials,
    now: deps.now(),
  });
  const kc = new LeanKubeConfig();
  kc.loadFromClusterAndUser(
    {
      name: eks.clusterName,
      server: cluster.endpoint,
      caData: cluster.caData,
      skipTLSVerify: false,
    },
    { name: 'healthcheck-eks', token },
  );
  return kc;
}

/** A LeanKubeConfig for the configured way in; EKS tokens are minted here, once per check run. */
export async function kubeConfigFor(
  access: ClusterAccess,
  deps: ClusterDeps,
  signal: AbortSignal,
): Promise<LeanKubeConfig> {
  if (access.eks) return loadEks(access.eks, deps, signal);
  return loadKubeconfig(access);
}
