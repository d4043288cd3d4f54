/** What a request tried to do, to name it when the API server refuses. */
export interface ApiCall {
  readonly verb: 'list' | 'get';
  /** Resource as RBAC names it: pods, nodes, nodes/proxy, deployments... */
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
}

const rbacHint =
  'apply deploy/kubernetes/healthcheck-rbac.yaml (read-only ClusterRole) to this identity';

/** A refused or failed Kubernetes API call, with a message that says what to fix. */
export class KubernetesApiError extends Error {
  readonly statusCode: number | undefined;
  constructor(message: string, statusCode?: number) {
    super(message);
    this.name = 'KubernetesApiError';
    this.statusCode = statusCode;
  }
}

/** The API server answered with a status other than 2xx; `body` is what it said. */
export class KubernetesHttpError extends Error {
  readonly code: number;
  readonly body: string;
  constructor(code: number, body: string) {
    super(`HTTP ${code}`);
    this.name = 'KubernetesHttpError';
    this.code = code;
    this.body = body;
  }
}

function serverMessage(body: unknown): string | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.trim().slice(0, 300) || undefined;
    }
  }
  const message = (parsed as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

function scope(call: ApiCall): string {
  if (call.name) return ` ${call.name}`;
  return call.namespace ? ` in namespace ${call.namespace}` : ' (all namespaces)';
}

function causeText(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message ?? ''} (${cause})` : (e.message ?? String(error));
}

/** Turns a failed request into an actionable KubernetesApiError; never echoes credentials. */
export function explainApiFailure(
  error: unknown,
  call: ApiCall,
  server: string,
  signal: AbortSignal,
): KubernetesApiError {
  if (error instanceof KubernetesApiError) return error;
  const what = `${call.verb} ${call.resource}${scope(call)}`;
  if (error instanceof KubernetesHttpError) {
    const detail = serverMessage(error.body);
    if (error.code === 401) {
      return new KubernetesApiError(
        `unauthorized: ${server} rejected the credentials when trying to ${what}; the token or client certificate is missing, expired or revoked (refresh the kubeconfig; for EKS, check the IAM identity has an access entry)`,
        401,
      );
    }
    if (error.code === 403) {
      return new KubernetesApiError(
        `forbidden: cannot ${what}${detail ? ` (${detail})` : ''}; ${rbacHint}`,
        403,
      );
    }
    if (error.code === 404 && call.resource === 'nodes/proxy') {
      return new KubernetesApiError(
        `node ${call.name ?? ''} not found or its kubelet does not serve stats/summary`,
        404,
      );
    }
    return new KubernetesApiError(
      `${server} answered HTTP ${error.code} to ${what}${detail ? `: ${detail}` : ''}`,
      error.code,
    );
  }
  if (signal.aborted) {
    return new KubernetesApiError(
      `no answer from ${server} to ${what} before the check's deadline`,
    );
  }
  return new KubernetesApiError(
    `cannot reach the Kubernetes API at ${server} to ${what}: ${causeText(error)}`,
  );
}
