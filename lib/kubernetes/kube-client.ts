import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  type ApiCall,
  explainApiFailure,
  KubernetesApiError,
  KubernetesHttpError,
} from './api-errors.ts';
import type { LeanKubeConfig } from './lean-kube-config.ts';

export interface ListOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  /** Items per page (`limit`); the server hands out `continue` tokens for the rest. */
  readonly pageSize: number;
}

export type WorkloadKind = 'deployments' | 'statefulsets' | 'daemonsets';

/** What the checks read of a node (the API's plain JSON). */
export interface KubeNode {
  readonly metadata?: { readonly name?: string; readonly labels?: Record<string, string> };
}

interface ListBody {
  readonly items?: unknown[];
  readonly metadata?: { readonly continue?: string };
}

/**
 * The read-only Kubernetes calls the checks make: plain JSON GETs with the kubeconfig's TLS and
 * auth (lean-kube-config.ts), each failure explained (api-errors.ts). No generated API models:
 * lists are paged and judged as JSON, so memory stays flat however large the cluster.
 */
export class KubeClient {
  readonly server: string;
  readonly #kc: LeanKubeConfig;

  constructor(kc: LeanKubeConfig) {
    this.#kc = kc;
    this.server = (kc.getCurrentCluster()?.server ?? '').replace(/\/+$/, '');
  }

  /** Pages through a list so a 20,000-pod cluster never has to fit in one response. */
  async *#pages(
    call: ApiCall,
    path: string,
    options: Omit<ListOptions, 'namespace'>,
    signal: AbortSignal,
  ): AsyncGenerator<unknown[]> {
    let continueToken: string | undefined;
    do {
      const query = new URLSearchParams({ limit: String(options.pageSize) });
      if (options.labelSelector) query.set('labelSelector', options.labelSelector);
      if (continueToken) query.set('continue', continueToken);
      const page = (await this.#getJson(`${path}?${query}`, call, signal)) as ListBody;
      yield page.items ?? [];
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
  }

  /** GET with the kubeconfig's auth and TLS, answering the parsed JSON body. */
  async #getJson(pathAndQuery: string, call: ApiCall, signal: AbortSignal): Promise<unknown> {
    try {
      const options = await this.#kc.requestOptions();
      const url = new URL(`${this.server}${pathAndQuery}`);
      const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
      const text = await new Promise<string>((resolve, reject) => {
        const req = send(
          url,
          {
            ...options,
            method: 'GET',
            headers: {
              Accept: 'application/json',
              'User-Agent': 'healthcheck',
              ...options.headers,
            },
            signal,
          },
          (res: IncomingMessage) => {
            // Decoded as it arrives: a page is held once as text, not as buffers and text.
            res.setEncoding('utf8');
            const chunks: string[] = [];
            res.on('data', (chunk: string) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => {
              const body = chunks.join('');
              const status = res.statusCode ?? 0;
              if (status < 200 || status > 299) reject(new KubernetesHttpError(status, body));
              else resolve(body);
            });
          },
        );
        req.on('error', reject);
        req.end();
      });
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new KubernetesApiError(`${url.origin}${url.pathname} did not answer JSON`);
      }
    } catch (error) {
      throw explainApiFailure(error, call, this.server, signal);
    }
  }

  /** Pods as the API's plain JSON (timestamps stay strings). */
  podPages(options: ListOptions, signal: AbortSignal): AsyncGenerator<unknown[]> {
    const { namespace } = options;
    const call: ApiCall = { verb: 'list', resource: 'pods', ...(namespace ? { namespace } : {}) };
    const path = namespace
      ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`
      : '/api/v1/pods';
    return this.#pages(call, path, options, signal);
  }

  async listNodes(
    options: Omit<ListOptions, 'namespace'>,
    signal: AbortSignal,
  ): Promise<KubeNode[]> {
    const nodes: KubeNode[] = [];
    const pages = this.#pages(
      { verb: 'list', resource: 'nodes' },
      '/api/v1/nodes',
      options,
      signal,
    );
    for await (const page of pages) nodes.push(...(page as KubeNode[]));
    return nodes;
  }

  workloadPages(
    kind: WorkloadKind,
    options: ListOptions,
    signal: AbortSignal,
  ): AsyncGenerator<unknown[]> {
    const { namespace } = options;
    const call: ApiCall = { verb: 'list', resource: kind, ...(namespace ? { namespace } : {}) };
    const path = namespace
      ? `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${kind}`
      : `/apis/apps/v1/${kind}`;
    return this.#pages(call, path, options, signal);
  }

  /** The kubelet's stats summary through the API server's node proxy. */
  nodeStatsSummary(node: string, signal: AbortSignal): Promise<unknown> {
    const call: ApiCall = { verb: 'get', resource: 'nodes/proxy', name: node };
    return this.#getJson(
      `/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/summary`,
      call,
      signal,
    );
  }
}
