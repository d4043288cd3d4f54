import { fileURLToPath } from 'node:url';

/** The repository root, where package-lock.json and the functions' sources live. */
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export const depsLockFile = fileURLToPath(new URL('../../package-lock.json', import.meta.url));

export function functionEntry(name: string): string {
  return fileURLToPath(new URL(`../../functions/${name}/handler.ts`, import.meta.url));
}

/** Stands in for `@kubernetes/client-node` in bundles whose config has no Kubernetes checks. */
export const kubernetesClientStub = fileURLToPath(
  new URL('./kubernetes-client-stub.cjs', import.meta.url),
);
