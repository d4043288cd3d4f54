/**
 * Reads kubeconfigs the way client-node's KubeConfig (and kubectl) does, without importing
 * client-node's index: that loads every generated API model (about 135 MB of heap before a single
 * pod is read). Parsing of clusters/users/contexts, exec plugins and token files reuse
 * client-node's own small modules; only the legacy `auth-provider` plugins (oidc, azure, gcp)
 * and `proxy-url` load the full KubeConfig, on demand.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { Cluster, Context, User } from '@kubernetes/client-node/dist/config_types.js';
import { newClusters, newContexts, newUsers } from '@kubernetes/client-node/dist/config_types.js';
import { ExecAuth } from '@kubernetes/client-node/dist/exec_auth.js';
import { FileAuth } from '@kubernetes/client-node/dist/file_auth.js';
import { parse } from 'yaml';

const serviceAccount = '/var/run/secrets/kubernetes.io/serviceaccount';

export type { Cluster, Context, User };

/** What a request to the API server needs: where, TLS material and auth headers. */
export type KubeRequestOptions = Pick<
  RequestOptions,
  'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername' | 'auth' | 'agent'
> & { headers: Record<string, string> };

function fileOrData(file: string | undefined | null, data: string | undefined | null) {
  if (data) return Buffer.from(data, 'base64');
  if (file) return readFileSync(file);
  return undefined;
}

function absolute(root: string, path: string | undefined | null): string | undefined {
  if (!path) return undefined;
  return isAbsolute(path) ? path : join(root, path);
}

export class LeanKubeConfig {
  clusters: Cluster[] = [];
  users: User[] = [];
  contexts: Context[] = [];
  currentContext = '';
  readonly #exec = new ExecAuth();
  readonly #tokenFile = new FileAuth();

  loadFromString(text: string, root?: string): void {
    const doc = (parse(text) ?? {}) as Record<string, unknown>;
    const clusters = newClusters(doc['clusters']);
    const users = newUsers(doc['users']);
    if (root) {
      for (const c of clusters) c.caFile = absolute(root, c.caFile);
      for (const u of users) {
        u.certFile = absolute(root, u.certFile);
        u.keyFile = absolute(root, u.keyFile);
      }
    }
    this.clusters = clusters;
    this.users = users;
    this.contexts = newContexts(doc['contexts']);
    this.currentContext = String(doc['current-context'] ?? '');
  }

  loadFromFile(file: string): void {
    this.loadFromString(readFileSync(file, 'utf8'), dirname(file));
  }

  /** `$KUBECONFIG` (merged, the first file's current context wins), `~/.kube/config`, in-cluster. */
  loadFromDefault(): void {
    const files = (process.env['KUBECONFIG'] ?? '').split(delimiter).filter(Boolean);
    if (files.length > 0) {
      const [first, ...rest] = files as [string, ...string[]];
      this.loadFromFile(first);
      for (const file of rest) {
        const more = new LeanKubeConfig();
        more.loadFromFile(file);
        this.clusters.push(...more.clusters.filter((c) => !this.#has(this.clusters, c.name)));
        this.users.push(...more.users.filter((u) => !this.#has(this.users, u.name)));
        this.contexts.push(...more.contexts.filter((x) => !this.#has(this.contexts, x.name)));
        this.currentContext ||= more.currentContext;
      }
      return;
    }
    const home = join(homedir(), '.kube', 'config');
    if (existsSync(home)) this.loadFromFile(home);
    else if (existsSync(join(serviceAccount, 'token'))) this.loadFromCluster();
    else
      throw new Error(
        'no kubeconfig: $KUBECONFIG is unset, ~/.kube/config does not exist and this is not a pod',
      );
  }

  #has(list: readonly { name: string }[], name: string): boolean {
    return list.some((item) => item.name === name);
  }

  /** The pod's service account, as kubectl inside a pod. */
  loadFromCluster(): void {
    const host = process.env['KUBERNETES_SERVICE_HOST'];
    const port = process.env['KUBERNETES_SERVICE_PORT'];
    if (!host || !port) {
      throw new Error('not running in a pod: KUBERNETES_SERVICE_HOST/PORT are not set');
    }
    const scheme = ['80', '8080', '8001'].includes(port) ? 'http' : 'https';
    const server = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const namespaceFile = join(serviceAccount, 'namespace');
    this.loadFromClusterAndUser(
      { name: 'inCluster', server, caFile: join(serviceAccount, 'ca.crt'), skipTLSVerify: false },
      {
        name: 'inClusterUser',
        authProvider: { name: 'tokenFile', config: { tokenFile: join(serviceAccount, 'token') } },
      },
      existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined,
    );
  }

  loadFromClusterAndUser(cluster: Cluster, user: User, namespace?: string): void {
    this.clusters = [cluster];
    this.users = [user];
    this.contexts = [
      {
        name: 'loaded-context',
        cluster: cluster.name,
        user: user.name,
        ...(namespace ? { namespace } : {}),
      },
    ];
    this.currentContext = 'loaded-context';
  }

  getContexts(): Context[] {
    return this.contexts;
  }

  getContextObject(name: string): Context | undefined {
    return this.contexts.find((c) => c.name === name);
  }

  setCurrentContext(name: string): void {
    this.currentContext = name;
  }

  getCurrentCluster(): Cluster | undefined {
    const context = this.getContextObject(this.currentContext);
    return context ? this.clusters.find((c) => c.name === context.cluster) : undefined;
  }

  getCurrentUser(): User | undefined {
    const context = this.getContextObject(this.currentContext);
    return context ? this.users.find((u) => u.name === context.user) : undefined;
  }

  /** TLS and auth for one request, as client-node's `applyToHTTPSOptions` would set them. */
  async requestOptions(): Promise<KubeRequestOptions> {
    const cluster = this.getCurrentCluster();
    const user = this.getCurrentUser();
    const options: KubeRequestOptions = { headers: {} };
    if (!cluster) return options;
    const provider = user?.authProvider?.name;
    const legacyPlugin = provider && provider !== 'tokenFile' && provider !== 'exec';
    if (legacyPlugin || cluster.proxyUrl) return this.#viaClientNode(options);
    if (cluster.skipTLSVerify) options.rejectUnauthorized = false;
    if (cluster.tlsServerName) options.servername = cluster.tlsServerName;
    const ca = fileOrData(cluster.caFile, cluster.caData);
    if (ca) options.ca = ca;
    if (!user) return options;
    const cert = fileOrData(user.certFile, user.certData);
    if (cert) options.cert = cert;
    const key = fileOrData(user.keyFile, user.keyData);
    if (key) options.key = key;
    if (user.impersonateUser) options.headers['Impersonate-User'] = user.impersonateUser;
    if (this.#exec.isAuthProvider(user)) await this.#exec.applyAuthentication(user, options);
    else if (this.#tokenFile.isAuthProvider(user)) {
      await this.#tokenFile.applyAuthentication(user, options);
    }
    if (user.token) options.headers['Authorization'] = `Bearer ${user.token}`;
    if (user.username) options.auth = `${user.username}:${user.password ?? ''}`;
    return options;
  }

  /** The full client-node, only for what the lean path does not do (legacy auth plugins, proxies). */
  async #viaClientNode(options: KubeRequestOptions): Promise<KubeRequestOptions> {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: this.clusters,
      users: this.users,
      contexts: this.contexts,
      currentContext: this.currentContext,
    });
    await kc.applyToHTTPSOptions(options);
    return options;
  }
}
