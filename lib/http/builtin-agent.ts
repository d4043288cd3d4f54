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
// Where undici 8+ (the npm package) keeps its own Agent, wrapping it for `.1`.
const modernDispatcherKey = Symbol.for('undici.globalDispatcher.2');

/**
 * Loading the npm `undici` package (8+; @kubernetes/client-node depends on it) replaces Node's
 * dispatcher with a `Dispatcher1Wrapper` around its own Agent. Agents built the same way (that
 * Agent class inside that wrapper) are what Node's fetch then already works with, and both
 * classes are loaded, so nothing is added to a bundle.
 */
function wrappedAgentClass(holder: Record<symbol, unknown>): AgentClass | undefined {
  const legacy = holder[globalDispatcherKey] as { constructor?: unknown } | undefined;
  const current = holder[modernDispatcherKey] as { constructor?: unknown } | undefined;
  // Class names are not compared: a minified bundle renames the npm package's classes.
  if (!legacy || !current || legacy === current) return undefined;
  const wrapper = legacy.constructor as new (inner: unknown) => Agent;
  const modern = current.constructor as new (options?: Agent.Options) => unknown;
  if (typeof wrapper !== 'function' || typeof modern !== 'function') return undefined;
  return function WrappedAgent(options?: Agent.Options) {
    return new wrapper(new modern(options));
  } as unknown as AgentClass;
}

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
    const wrapped = agent?.name === 'Agent' ? undefined : wrappedAgentClass(holder);
    if (wrapped) return wrapped;
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
