/**
 * Every specifier under which this project imports `@kubernetes/client-node`: its small modules
 * directly (lib/kubernetes/lean-kube-config.ts) and the whole package only for legacy auth
 * plugins. Bundles that leave client-node out must stub each of them (lib/infra/node-bundling.ts).
 */
export const clientNodeModules = [
  '@kubernetes/client-node',
  '@kubernetes/client-node/dist/config_types.js',
  '@kubernetes/client-node/dist/exec_auth.js',
  '@kubernetes/client-node/dist/file_auth.js',
] as const;
