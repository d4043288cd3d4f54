import { fileURLToPath } from 'node:url';

/** The repository root, where package-lock.json and the functions' sources live. */
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export const depsLockFile = fileURLToPath(new URL('../../package-lock.json', import.meta.url));

export function functionEntry(name: string): string {
  return fileURLToPath(new URL(`../../functions/${name}/handler.ts`, import.meta.url));
}

/** Stands in for packages (drivers, client-node) that no check in the deployed config uses. */
export const omittedPackageStub = fileURLToPath(
  new URL('./omitted-package-stub.cjs', import.meta.url),
);
