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

  /**
   * Pods as the API's plain JSON (timestamps stay strings). Skipping client-node's model
   * deserialisation halves the CPU for large clusters; auth and TLS are still client-node's.
   */
  podPages(options: ListOptions, signal: AbortSignal): AsyncGenerator<unknown[]> {
    const { namespace, labelSelector, pageSize } = options;
    const call: ApiCall = { verb: 'list', resource: 'pods', ...(namespace ? { namespace } : {}) };
    const path = namespace
      ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`
      : '/api/v1/pods';
    return this.#pages(call, signal, async (token) => {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (labelSelector) query.set('labelSelector', labelSelector);
      if (token) query.set('continue', token);
      const list = (await this.#getJson(`${path}?${query}`, signal)) as {
        items?: unknown[];
        metadata?: { continue?: string };
      };
      return {
        items: list.items ?? [],
        ...(list.metadata?.continue ? { metadata: { _continue: list.metadata.continue } } : {}),
      };
    });
  }

  /** GET through client-node's configured auth and TLS, answering the parsed JSON body. */
  async #getJson(pathAndQuery: string, signal: AbortSignal): Promise<unknown> {
    const request = new RequestContext(`${this.server}${pathAndQuery}`, HttpMethod.GET);
    await this.#kc.applySecurityAuthentication(request);
    request.setHeaderParam('Accept', 'application/json');
    request.setSignal(signal);
    const response = await createConfiguration().httpApi.send(request).toPromise();
    const text = await response.body.text();
    if (response.httpStatusCode < 200 || response.httpStatusCode > 299) {
      throw new ApiException(response.httpStatusCode, pathAndQuery, text, response.headers);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new KubernetesApiError(
        `${this.server}${pathAndQuery.split('?')[0]} did not answer JSON`,
      );
    }
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
    return this.#call(call, signal, () =>
      this.#getJson(`/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/summary`, signal),
    );
  }
}
