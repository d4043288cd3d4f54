import {
  ApiException,
  AppsV1Api,
  type ConfigurationOptions,
  CoreV1Api,
  createConfiguration,
  HttpMethod,
  type KubeConfig,
  Observable,
  RequestContext,
  type V1Node,
  type V1Pod,
} from '@kubernetes/client-node';
import { type ApiCall, explainApiFailure, KubernetesApiError } from './api-errors.ts';

export interface ListOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  /** Items per page (`limit`); the server hands out `continue` tokens for the rest. */
  readonly pageSize: number;
}

interface ListPage<T> {
  readonly items: T[];
  readonly metadata?: { _continue?: string };
}

export type WorkloadKind = 'deployments' | 'statefulsets' | 'daemonsets';

/** Carries the check's AbortSignal into every request client-node makes. */
function withSignal(signal: AbortSignal): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (context) => {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/** The read-only Kubernetes calls the checks make, each failure explained (api-errors.ts). */
export class KubeClient {
  readonly server: string;
  readonly #kc: KubeConfig;
  readonly #core: CoreV1Api;
  readonly #apps: AppsV1Api;

  constructor(kc: KubeConfig) {
    this.#kc = kc;
    this.server = (kc.getCurrentCluster()?.server ?? '').replace(/\/+$/, '');
    this.#core = kc.makeApiClient(CoreV1Api);
    this.#apps = kc.makeApiClient(AppsV1Api);
  }

  async #call<T>(call: ApiCall, signal: AbortSignal, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw explainApiFailure(error, call, this.server, signal);
    }
  }

  /** Pages through a list so a 20,000-pod cluster never has to fit in one response. */
  async *#pages<T>(
    call: ApiCall,
    signal: AbortSignal,
    fetchPage: (continueToken: string | undefined) => Promise<ListPage<T>>,
  ): AsyncGenerator<T[]> {
    let continueToken: string | undefined;
    do {
      const token = continueToken;
      const page = await this.#call(call, signal, () => fetchPage(token));
      yield page.items;
      continueToken = page.metadata?._continue || undefined;
    } while (continueToken);
  }

  podPages(options: ListOptions, signal: AbortSignal): AsyncGenerator<V1Pod[]> {
    const { namespace, labelSelector, pageSize: limit } = options;
    const call: ApiCall = { verb: 'list', resource: 'pods', ...(namespace ? { namespace } : {}) };
    return this.#pages(call, signal, (_continue) => {
      const query = { labelSelector, limit, _continue };
      return namespace
        ? this.#core.listNamespacedPod({ namespace, ...query }, withSignal(signal))
        : this.#core.listPodForAllNamespaces(query, withSignal(signal));
    });
  }

  async listNodes(options: Omit<ListOptions, 'namespace'>, signal: AbortSignal): Promise<V1Node[]> {
    const nodes: V1Node[] = [];
    const pages = this.#pages({ verb: 'list', resource: 'nodes' }, signal, (_continue) =>
      this.#core.listNode(
        { labelSelector: options.labelSelector, limit: options.pageSize, _continue },
        withSignal(signal),
      ),
    );
    for await (const page of pages) nodes.push(...page);
    return nodes;
  }

  workloadPages(
    kind: WorkloadKind,
    options: ListOptions,
    signal: AbortSignal,
  ): AsyncGenerator<unknown[]> {
    const { namespace, labelSelector, pageSize: limit } = options;
    const call: ApiCall = { verb: 'list', resource: kind, ...(namespace ? { namespace } : {}) };
    const apps = this.#apps;
    const opts = withSignal(signal);
    const listers: Record<WorkloadKind, (c: string | undefined) => Promise<ListPage<unknown>>> = {
      deployments: (_continue) =>
        namespace
          ? apps.listNamespacedDeployment({ namespace, labelSelector, limit, _continue }, opts)
          : apps.listDeploymentForAllNamespaces({ labelSelector, limit, _continue }, opts),
      statefulsets: (_continue) =>
        namespace
          ? apps.listNamespacedStatefulSet({ namespace, labelSelector, limit, _continue }, opts)
          : apps.listStatefulSetForAllNamespaces({ labelSelector, limit, _continue }, opts),
      daemonsets: (_continue) =>
        namespace
          ? apps.listNamespacedDaemonSet({ namespace, labelSelector, limit, _continue }, opts)
          : apps.listDaemonSetForAllNamespaces({ labelSelector, limit, _continue }, opts),
    };
    return this.#pages(call, signal, listers[kind]);
  }

  /**
   * The kubelet's stats summary through the API server's node proxy. A raw request, because
   * client-node's connectGetNodeProxyWithPath percent-encodes the slash in `stats/summary`.
   */
  async nodeStatsSummary(node: string, signal: AbortSignal): Promise<unknown> {
    const call: ApiCall = { verb: 'get', resource: 'nodes/proxy', name: node };
    return this.#call(call, signal, async () => {
      const url = `${this.server}/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/summary`;
      const request = new RequestContext(url, HttpMethod.GET);
      await this.#kc.applySecurityAuthentication(request);
      request.setHeaderParam('Accept', 'application/json');
      request.setSignal(signal);
      const response = await createConfiguration().httpApi.send(request).toPromise();
      const text = await response.body.text();
      if (response.httpStatusCode < 200 || response.httpStatusCode > 299) {
        throw new ApiException(response.httpStatusCode, 'stats/summary', text, response.headers);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new KubernetesApiError(`node ${node} stats/summary is not JSON`);
      }
    });
  }
}
