import type { Agent } from 'undici-types';

export type AgentClass = new (options?: Agent.Options) => Agent;

/** Node cannot give us the undici Agent behind its fetch: a proxy dispatcher is installed. */
export class HttpClientSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpClientSetupError';
  }
}

// undici's own key for the process-wide dispatcher (stable since undici 5; Node 18-24).
const globalDispatcherKey = Symbol.for('undici.globalDispatcher.1');

let agentClass: Promise<AgentClass> | undefined;

/**
 * Node's `fetch` is undici, bundled inside Node, but Node does not export undici's `Agent`, which is
 * what a request needs for its own CA, `insecure`, and a connector that times DNS, TCP and TLS. The
 * process-wide dispatcher Node creates for fetch is such an Agent, so its constructor is that
 * class. Using the bundled copy keeps the npm `undici` package (about 400 KB minified) out of the
 * Lambda bundle and guarantees the Agent matches the fetch it is passed to.
 */
export function builtinAgentClass(): Promise<AgentClass> {
  agentClass ??= (async () => {
    const holder = globalThis as Record<symbol, unknown>;
    // Node creates its dispatcher on the first fetch; a data: URL makes it without any I/O.
    if (!holder[globalDispatcherKey]) await (await fetch('data:,')).arrayBuffer();
    const dispatcher = holder[globalDispatcherKey] as { constructor?: unknown } | undefined;
    const agent = dispatcher?.constructor as (AgentClass & { name?: string }) | undefined;
    if (typeof agent !== 'function' || agent.name !== 'Agent') {
      throw new HttpClientSetupError(
        `fetch's global dispatcher is ${agent?.name ?? 'missing'}, not undici's Agent (NODE_USE_ENV_PROXY or setGlobalDispatcher?); HTTP checks need Node's own Agent`,
      );
    }
    return agent;
  })();
  // A failed lookup is retried on the next request rather than cached forever.
  agentClass.catch(() => {
    agentClass = undefined;
  });
  return agentClass;
}
