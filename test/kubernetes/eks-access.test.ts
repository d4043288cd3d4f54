import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EKSClient } from '@aws-sdk/client-eks';
import { afterEach, describe, expect, it } from 'vitest';
import { createRun } from '../../lib/checks/kubernetes-pods/run.ts';
import { parseConfig } from '../../lib/config/load-config.ts';
import { describeClusterWith } from '../../lib/kubernetes/eks-cluster.ts';
import { decodeEksToken } from '../../lib/kubernetes/eks-token.ts';
import type { ClusterDeps } from '../../lib/kubernetes/kube-config.ts';
import { type FakeKubeApi, kubePod, startFakeKubeApi } from '../support/fake-kube-api.ts';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example-key' };
const now = new Date('2026-11-22T01:00:00Z');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** A loopback EKS control plane answering DescribeCluster (GET /clusters/{name}). */
async function fakeEks(clusters: Record<string, { endpoint: string; caPem: string }>) {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    const name = decodeURIComponent(/^\/clusters\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '');
    const cluster = clusters[name];
    res.setHeader('content-type', 'application/json');
    if (!cluster) {
      res.writeHead(404, { 'x-amzn-errortype': 'ResourceNotFoundException' });
      res.end(JSON.stringify({ message: `No cluster found for name: ${name}.` }));
      return;
    }
    res.end(
      JSON.stringify({
        cluster: {
          name,
          arn: `arn:aws:eks:ap-southeast-1:123456789012:cluster/${name}`,
          endpoint: cluster.endpoint,
          certificateAuthority: { data: Buffer.from(cluster.caPem).toString('base64') },
          status: 'ACTIVE',
          version: '1.33',
        },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function eksKubeApi(): Promise<FakeKubeApi> {
  const api = await startFakeKubeApi({
    pods: [kubePod({ now, name: 'chat-service-7d9f8b6c5-x2k4q' })],
    acceptToken: (token) => {
      if (!token.startsWith('k8s-aws-v1.')) return false;
      const url = decodeEksToken(token);
      return url.searchParams.get('X-Amz-SignedHeaders')?.includes('x-k8s-aws-id') === true;
    },
  });
  closers.push(() => api.close());
  return api;
}

function deps(eksUrl: string): ClusterDeps {
  return {
    awsCredentials: () => async () => credentials,
    describeEksCluster: describeClusterWith(
      (region) => new EKSClient({ region, endpoint: eksUrl, credentials, maxAttempts: 1 }),
    ),
    now: () => now,
  };
}

function config(eks: Record<string, unknown>) {
  const parsed = parseConfig(
    { checks: [{ id: 'eks-pods', type: 'kubernetes-pods', eks }] },
    { env: {} },
  );
  return parsed.checks[0] as Parameters<ReturnType<typeof createRun>>[0];
}

const context = () => ({ signal: AbortSignal.timeout(10_000), now, timezone: 'UTC' });

describe('EKS access', () => {
  it('finds endpoint and CA with DescribeCluster and authenticates with a fresh IAM token', async () => {
    const api = await eksKubeApi();
    const eks = await fakeEks({ 'secureconnect-prod': { endpoint: api.url, caPem: api.caPem } });
    const run = createRun(deps(eks.url));
    const outcome = await run(
      config({ clusterName: 'secureconnect-prod', region: 'ap-southeast-1' }),
      context(),
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.details?.['cluster']).toBe('EKS cluster secureconnect-prod (ap-southeast-1)');
    expect(eks.seen.map((r) => r.url)).toEqual(['/clusters/secureconnect-prod']);
    const token = api.requests[0]?.authorization?.replace('Bearer ', '') ?? '';
    const url = decodeEksToken(token);
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261122T010000Z');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDEXAMPLE\//);
  });

  it('uses endpoint and caData from config without calling DescribeCluster', async () => {
    const api = await eksKubeApi();
    const eks = await fakeEks({});
    const outcome = await createRun(deps(eks.url))(
      config({
        clusterName: 'secureconnect-prod',
        region: 'ap-southeast-1',
        endpoint: api.url,
        caData: Buffer.from(api.caPem).toString('base64'),
      }),
      context(),
    );
    expect(outcome.status).toBe('ok');
    expect(eks.seen).toHaveLength(0);
  });

  it('an unknown cluster name is a clear error', async () => {
    const eks = await fakeEks({});
    await expect(
      createRun(deps(eks.url))(
        config({ clusterName: 'nope', region: 'ap-southeast-1' }),
        context(),
      ),
    ).rejects.toThrow(/EKS DescribeCluster failed: no EKS cluster named "nope" in ap-southeast-1/);
  });
});
