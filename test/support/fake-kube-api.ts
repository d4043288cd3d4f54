/**
 * A loopback HTTPS server speaking the slice of the Kubernetes API the checks use (pods, nodes,
 * node proxy stats/summary, apps/v1 workloads), with a self-signed CA, bearer-token auth and
 * `limit`/`continue` pagination, serving objects shaped like `kubectl get -o json`.
 * Reused by the demo, so the fixture builders live here too.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsMaterial {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

let cachedTls: TlsMaterial | undefined;

/** A throwaway CA and a server certificate for 127.0.0.1/localhost, made with openssl. */
export function loopbackTls(): TlsMaterial {
  if (cachedTls) return cachedTls;
  const dir = mkdtempSync(join(tmpdir(), 'fake-kube-tls-'));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key']);
    run([
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-subj',
      '/CN=fake-kube-ca',
      '-days',
      '2',
      '-out',
      'ca.pem',
    ]);
    run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'server.key']);
    run(['req', '-new', '-key', 'server.key', '-subj', '/CN=kube-apiserver', '-out', 'server.csr']);
    writeFileSync(
      join(dir, 'ext.cnf'),
      'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
    );
    run([
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
      '-out',
      'server.pem',
    ]);
    cachedTls = {
      caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
      certPem: readFileSync(join(dir, 'server.pem'), 'utf8'),
      keyPem: readFileSync(join(dir, 'server.key'), 'utf8'),
    };
    return cachedTls;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Obj = Record<string, unknown>;

export interface FakeKubeFailure {
  /** HTTP status to answer with, or `hang` to never answer (timeouts). */
  readonly status: 401 | 403 | 404 | 500 | 503 | 'hang';
  /** Only requests whose path matches fail (default: all). */
  readonly path?: RegExp;
}

export interface FakeKubeApiOptions {
  readonly pods?: readonly Obj[];
  readonly nodes?: readonly Obj[];
  /** Node name -> kubelet stats/summary JSON. */
  readonly summaries?: Readonly<Record<string, Obj>>;
  readonly workloads?: {
    readonly deployments?: readonly Obj[];
    readonly statefulsets?: readonly Obj[];
    readonly daemonsets?: readonly Obj[];
  };
  readonly failWith?: FakeKubeFailure;
  /** Bearer token accepted (default: a random one, returned as `token`). */
  readonly token?: string;
  /** Overrides the token check, e.g. to accept EKS `k8s-aws-v1.` tokens. */
  readonly acceptToken?: (token: string) => boolean;
  /** Largest page the server hands out, whatever `limit` asks (like the API server's cap). */
  readonly maxPageSize?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
}

export interface FakeKubeApi {
  readonly url: string;
  readonly caPem: string;
  readonly token: string;
  readonly requests: RecordedRequest[];
  /** Writes a real kubeconfig (CA data + token) and returns its path. */
  kubeconfigPath(options?: { token?: string; context?: string; extraContexts?: string[] }): string;
  close(): Promise<void>;
}

function status(code: number, reason: string, message: string, details: Obj = {}): Obj {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details,
    code,
  };
}

function matchesSelector(labels: Obj | undefined, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const t = term.trim();
    const neq = t.split('!=');
    if (neq.length === 2) return labels?.[neq[0]?.trim() ?? ''] !== neq[1]?.trim();
    const eq = t.split(/==?/);
    if (eq.length === 2) return labels?.[eq[0]?.trim() ?? ''] === eq[1]?.trim();
    if (t.startsWith('!')) return labels?.[t.slice(1)] === undefined;
    return labels?.[t] !== undefined;
  });
}

function meta(o: Obj): { name?: string; namespace?: string; labels?: Obj } {
  return (o['metadata'] ?? {}) as { name?: string; namespace?: string; labels?: Obj };
}

export async function startFakeKubeApi(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
  const tls = loopbackTls();
  const token = options.token ?? `fake-token-${Math.random().toString(36).slice(2)}`;
  const accept = options.acceptToken ?? ((t: string) => t === token);
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const tempDirs: string[] = [];

  const send = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const list = (
    res: ServerResponse,
    kind: string,
    apiVersion: string,
    items: readonly Obj[],
    query: Record<string, string>,
  ) => {
    const selected = items.filter((o) => matchesSelector(meta(o).labels, query['labelSelector']));
    const start = query['continue']
      ? Number(JSON.parse(Buffer.from(query['continue'], 'base64url').toString()).offset)
      : 0;
    const asked = query['limit'] ? Number(query['limit']) : selected.length;
    const size = Math.min(
      asked || selected.length,
      options.maxPageSize ?? Number.POSITIVE_INFINITY,
    );
    const page = selected.slice(start, start + size);
    const next = start + page.length;
    const more = next < selected.length;
    send(res, 200, {
      kind,
      apiVersion,
      metadata: {
        resourceVersion: '48213',
        ...(more
          ? {
              continue: Buffer.from(JSON.stringify({ rv: '48213', offset: next })).toString(
                'base64url',
              ),
              remainingItemCount: selected.length - next,
            }
          : {}),
      },
      items: page,
    });
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const query = Object.fromEntries(url.searchParams);
    const authorization = req.headers.authorization;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query, authorization });
    const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7) : '';
    if (!accept(bearer)) {
      send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const failure = options.failWith;
    if (failure && (!failure.path || failure.path.test(url.pathname))) {
      if (failure.status === 'hang') {
        hanging.add(res);
        return;
      }
      const resource =
        /\/(pods|nodes|deployments|statefulsets|daemonsets)\b/.exec(url.pathname)?.[1] ?? 'pods';
      const ns = /\/namespaces\/([^/]+)\//.exec(url.pathname)?.[1];
      const message =
        failure.status === 403
          ? `${resource} is forbidden: User "system:serviceaccount:monitoring:healthcheck" cannot list resource "${resource}" in API group "" ${ns ? `in the namespace "${ns}"` : 'at the cluster scope'}`
          : `fake failure ${failure.status}`;
      send(
        res,
        failure.status,
        status(failure.status, failure.status === 403 ? 'Forbidden' : 'InternalError', message, {
          kind: resource,
        }),
      );
      return;
    }
    const path = url.pathname;
    const pods = options.pods ?? [];
    const inNs = (items: readonly Obj[], ns: string | undefined) =>
      ns ? items.filter((o) => meta(o).namespace === ns) : items;
    if (path === '/api/v1/pods') return list(res, 'PodList', 'v1', pods, query);
    const nsPods = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(path);
    if (nsPods) return list(res, 'PodList', 'v1', inNs(pods, nsPods[1]), query);
    if (path === '/api/v1/nodes') return list(res, 'NodeList', 'v1', options.nodes ?? [], query);
    const stats = /^\/api\/v1\/nodes\/([^/]+)\/proxy\/stats\/summary$/.exec(path);
    if (stats) {
      const node = decodeURIComponent(stats[1] ?? '');
      const summary = options.summaries?.[node];
      if (summary) return send(res, 200, summary);
      const message = `no endpoints available for node "${node}"`;
      return send(res, 503, status(503, 'ServiceUnavailable', message));
    }
    const apps =
      /^\/apis\/apps\/v1\/(?:namespaces\/([^/]+)\/)?(deployments|statefulsets|daemonsets)$/.exec(
        path,
      );
    if (apps) {
      const kind = apps[2] as 'deployments' | 'statefulsets' | 'daemonsets';
      const listKind = {
        deployments: 'DeploymentList',
        statefulsets: 'StatefulSetList',
        daemonsets: 'DaemonSetList',
      }[kind];
      return list(res, listKind, 'apps/v1', inNs(options.workloads?.[kind] ?? [], apps[1]), query);
    }
    send(
      res,
      404,
      status(404, 'NotFound', `the server could not find the requested resource (${path})`),
    );
  };

  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, handle);
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket: import('node:net').Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    caPem: tls.caPem,
    token,
    requests,
    kubeconfigPath(opts = {}) {
      const dir = mkdtempSync(join(tmpdir(), 'fake-kubeconfig-'));
      tempDirs.push(dir);
      const context = opts.context ?? 'fake';
      const contexts = [context, ...(opts.extraContexts ?? [])];
      const yaml = [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '  - name: fake-cluster',
        '    cluster:',
        `      server: ${url}`,
        `      certificate-authority-data: ${Buffer.from(tls.caPem).toString('base64')}`,
        '  - name: elsewhere',
        '    cluster:',
        '      server: https://127.0.0.1:1',
        `      certificate-authority-data: ${Buffer.from(tls.caPem).toString('base64')}`,
        'users:',
        '  - name: fake-user',
        '    user:',
        `      token: ${opts.token ?? token}`,
        'contexts:',
        ...contexts.flatMap((name, i) => [
          `  - name: ${name}`,
          '    context:',
          `      cluster: ${i === 0 ? 'fake-cluster' : 'elsewhere'}`,
          '      user: fake-user',
        ]),
        // The current context deliberately points elsewhere when extra contexts exist, so tests
        // prove `context:` is honoured.
        `current-context: ${contexts[contexts.length - 1]}`,
        '',
      ].join('\n');
      const path = join(dir, 'kubeconfig');
      writeFileSync(path, yaml, { mode: 0o600 });
      return path;
    },
    async close() {
      for (const res of hanging) res.destroy();
      // Includes sockets still in the TLS handshake, which closeAllConnections does not see.
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------- fixtures shaped like `kubectl get -o json` ----------

export interface ContainerFixture {
  readonly name: string;
  readonly image?: string;
  readonly ready?: boolean;
  readonly restarts?: number;
  readonly waiting?: { reason: string; message?: string };
  readonly terminated?: { reason: string; exitCode: number };
  readonly lastTerminated?: { reason: string; exitCode: number; finishedMinutesAgo: number };
  readonly memoryLimit?: string;
}

export interface PodFixture {
  readonly name: string;
  readonly namespace?: string;
  readonly now?: Date;
  readonly phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  readonly createdMinutesAgo?: number;
  /** When the Ready condition last changed (defaults to creation + 1 minute). */
  readonly readyChangedMinutesAgo?: number;
  readonly containers?: readonly ContainerFixture[];
  readonly initContainers?: readonly ContainerFixture[];
  readonly owner?: { kind: string; name: string };
  /** Minutes since metadata.deletionTimestamp (the end of the grace period). */
  readonly deletedMinutesAgo?: number;
  /** Pod-level status.reason, e.g. Evicted. */
  readonly reason?: string;
  readonly labels?: Record<string, string>;
  readonly nodeName?: string;
}

const minutesAgo = (now: Date, minutes: number) =>
  new Date(now.getTime() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function containerStatus(c: ContainerFixture, now: Date, phase: string): Obj {
  const running = !c.waiting && !c.terminated && phase === 'Running';
  const state: Obj = c.waiting
    ? {
        waiting: {
          reason: c.waiting.reason,
          ...(c.waiting.message ? { message: c.waiting.message } : {}),
        },
      }
    : c.terminated
      ? {
          terminated: {
            exitCode: c.terminated.exitCode,
            reason: c.terminated.reason,
            startedAt: minutesAgo(now, 30),
            finishedAt: minutesAgo(now, 5),
            containerID: `containerd://${'f'.repeat(64)}`,
          },
        }
      : running
        ? { running: { startedAt: minutesAgo(now, 20) } }
        : { waiting: { reason: 'ContainerCreating' } };
  return {
    name: c.name,
    image: c.image ?? `registry.company.vn/${c.name}:1.4.2`,
    imageID: `registry.company.vn/${c.name}@sha256:${'a'.repeat(64)}`,
    containerID: `containerd://${'e'.repeat(64)}`,
    ready: c.ready ?? running,
    started: running,
    restartCount: c.restarts ?? 0,
    state,
    lastState: c.lastTerminated
      ? {
          terminated: {
            exitCode: c.lastTerminated.exitCode,
            reason: c.lastTerminated.reason,
            startedAt: minutesAgo(now, c.lastTerminated.finishedMinutesAgo + 3),
            finishedAt: minutesAgo(now, c.lastTerminated.finishedMinutesAgo),
            containerID: `containerd://${'d'.repeat(64)}`,
          },
        }
      : {},
  };
}

export function kubePod(f: PodFixture): Obj {
  const now = f.now ?? new Date();
  const phase = f.phase ?? 'Running';
  const namespace = f.namespace ?? 'secureconnect-prod';
  const created = f.createdMinutesAgo ?? 120;
  const containers = f.containers ?? [
    { name: f.name.replace(/-[a-z0-9]+-[a-z0-9]+$/, '') || 'app' },
  ];
  const statuses = containers.map((c) => containerStatus(c, now, phase));
  const allReady = statuses.every((s) => s['ready'] === true);
  const owner = f.owner ?? { kind: 'ReplicaSet', name: f.name.replace(/-[a-z0-9]+$/, '') };
  const readyChanged = minutesAgo(now, f.readyChangedMinutesAgo ?? Math.max(0, created - 1));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: f.name,
      namespace,
      uid: `0b7a${Math.random().toString(16).slice(2, 10)}-4c1e-4f5a-9d2b-5e8f3a1c7d90`,
      resourceVersion: '48191',
      creationTimestamp: minutesAgo(now, created),
      generateName: `${owner.name}-`,
      labels: f.labels ?? {
        app: f.name.replace(/-[a-z0-9]+-[a-z0-9]+$/, ''),
        'pod-template-hash': '7d9f8b6c5',
      },
      ownerReferences: [
        {
          apiVersion: owner.kind === 'Job' ? 'batch/v1' : 'apps/v1',
          kind: owner.kind,
          name: owner.name,
          uid: 'a1b2c3d4-0000-4000-8000-000000000001',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      ...(f.deletedMinutesAgo !== undefined
        ? {
            deletionTimestamp: minutesAgo(now, f.deletedMinutesAgo),
            deletionGracePeriodSeconds: 30,
            finalizers: ['example.com/cleanup'],
          }
        : {}),
    },
    spec: {
      containers: containers.map((c) => ({
        name: c.name,
        image: c.image ?? `registry.company.vn/${c.name}:1.4.2`,
        imagePullPolicy: 'IfNotPresent',
        resources: {
          limits: { memory: c.memoryLimit ?? '512Mi', cpu: '500m' },
          requests: { memory: '256Mi', cpu: '100m' },
        },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      })),
      ...(f.initContainers
        ? {
            initContainers: f.initContainers.map((c) => ({
              name: c.name,
              image: c.image ?? `busybox:1.36`,
            })),
          }
        : {}),
      restartPolicy: owner.kind === 'Job' ? 'Never' : 'Always',
      nodeName: f.nodeName ?? 'ip-10-0-1-23.ap-southeast-1.compute.internal',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
    },
    status: {
      phase,
      ...(f.reason
        ? { reason: f.reason, message: `The node was low on resource: ephemeral-storage.` }
        : {}),
      conditions: [
        {
          type: 'PodReadyToStartContainers',
          status: phase === 'Pending' ? 'False' : 'True',
          lastProbeTime: null,
          lastTransitionTime: minutesAgo(now, created),
        },
        {
          type: 'Initialized',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: minutesAgo(now, created),
        },
        {
          type: 'Ready',
          status: allReady ? 'True' : 'False',
          lastProbeTime: null,
          lastTransitionTime: readyChanged,
          ...(allReady
            ? {}
            : { reason: 'ContainersNotReady', message: 'containers with unready status: [app]' }),
        },
        {
          type: 'ContainersReady',
          status: allReady ? 'True' : 'False',
          lastProbeTime: null,
          lastTransitionTime: readyChanged,
        },
        {
          type: 'PodScheduled',
          status: phase === 'Pending' && !f.nodeName ? 'False' : 'True',
          lastProbeTime: null,
          lastTransitionTime: minutesAgo(now, created),
        },
      ],
      hostIP: '10.0.1.23',
      podIP: '10.0.1.77',
      startTime: minutesAgo(now, created),
      qosClass: 'Burstable',
      containerStatuses: statuses,
      ...(f.initContainers
        ? { initContainerStatuses: f.initContainers.map((c) => containerStatus(c, now, phase)) }
        : {}),
    },
  };
}

export function kubeNode(name: string, labels: Record<string, string> = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: `node-${name}`,
      creationTimestamp: '2026-01-10T03:00:00Z',
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...labels },
    },
    spec: { providerID: `aws:///ap-southeast-1a/i-0${name.length}abc` },
    status: {
      capacity: { cpu: '4', 'ephemeral-storage': '83873772Ki', memory: '16206508Ki', pods: '58' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          lastHeartbeatTime: '2026-11-22T00:59:00Z',
          lastTransitionTime: '2026-01-10T03:01:00Z',
        },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.33.4-eks-1b2c3d4',
        containerRuntimeVersion: 'containerd://1.7.27',
        osImage: 'Amazon Linux 2023',
      },
    },
  };
}

export interface FsFixture {
  readonly capacityBytes: number;
  readonly usedBytes: number;
  /** Default: capacity - used. */
  readonly availableBytes?: number;
  readonly inodes?: number;
  readonly inodesUsed?: number;
}

function fs(f: FsFixture, time: string): Obj {
  const inodes = f.inodes ?? 5_000_000;
  const inodesUsed = f.inodesUsed ?? 100_000;
  return {
    time,
    availableBytes: f.availableBytes ?? f.capacityBytes - f.usedBytes,
    capacityBytes: f.capacityBytes,
    usedBytes: f.usedBytes,
    inodesFree: inodes - inodesUsed,
    inodes,
    inodesUsed,
  };
}

/** A kubelet `/stats/summary` answer (node fs, image fs, and PVC-backed pod volumes). */
export function kubeletSummary(
  node: string,
  f: {
    nodeFs: FsFixture;
    imageFs?: FsFixture;
    pvcs?: { namespace: string; claim: string; pod: string; fs: FsFixture }[];
  },
): Obj {
  const time = '2026-11-22T01:00:00Z';
  return {
    node: {
      nodeName: node,
      systemContainers: [{ name: 'kubelet', startTime: '2026-01-10T03:00:00Z' }],
      startTime: '2026-01-10T03:00:00Z',
      cpu: { time, usageNanoCores: 151832145, usageCoreNanoSeconds: 9124512331 },
      memory: {
        time,
        availableBytes: 12110528512,
        usageBytes: 4210528512,
        workingSetBytes: 3120528512,
      },
      fs: fs(f.nodeFs, time),
      runtime: { imageFs: fs(f.imageFs ?? f.nodeFs, time) },
      rlimit: { time, maxpid: 4194304, curproc: 612 },
    },
    pods: (f.pvcs ?? []).map((p) => ({
      podRef: { name: p.pod, namespace: p.namespace, uid: `uid-${p.pod}` },
      startTime: '2026-11-20T01:00:00Z',
      containers: [],
      volume: [
        {
          time,
          ...fs(p.fs, time),
          name: 'data',
          pvcRef: { name: p.claim, namespace: p.namespace },
        },
        {
          time,
          availableBytes: 1e9,
          capacityBytes: 1e9,
          usedBytes: 12288,
          inodesFree: 1,
          inodes: 2,
          inodesUsed: 1,
          name: 'kube-api-access-x7k2p',
        },
      ],
      'ephemeral-storage': { time, availableBytes: 1e10, capacityBytes: 8e10, usedBytes: 40960 },
    })),
  };
}

export function kubeDeployment(
  name: string,
  namespace: string,
  desired: number,
  available: number,
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' = 'Deployment',
): Obj {
  const status: Obj =
    kind === 'DaemonSet'
      ? {
          desiredNumberScheduled: desired,
          currentNumberScheduled: desired,
          numberReady: available,
          numberAvailable: available,
          updatedNumberScheduled: desired,
        }
      : {
          replicas: desired,
          readyReplicas: available,
          availableReplicas: available,
          updatedReplicas: desired,
          observedGeneration: 3,
        };
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: {
      name,
      namespace,
      uid: `wl-${name}`,
      generation: 3,
      creationTimestamp: '2026-10-01T00:00:00Z',
      labels: { app: name },
    },
    spec:
      kind === 'DaemonSet'
        ? { selector: { matchLabels: { app: name } } }
        : { replicas: desired, selector: { matchLabels: { app: name } } },
    status,
  };
}
