'use strict';
// Replaces @kubernetes/client-node (several MB) in Lambda bundles built for configs without
// Kubernetes checks. Every export is a function that fails with a message saying what to do.
const unavailable = (name) =>
  function kubernetesClientNotBundled() {
    throw new Error(
      `@kubernetes/client-node (${name}) is not in this bundle: the config had no Kubernetes ` +
        'checks when it was deployed; redeploy (or set bundleKubernetesClient: true)',
    );
  };
const missing = new Proxy(
  {},
  {
    get: (_target, name) =>
      typeof name === 'symbol' || name === '__esModule' || name === 'then'
        ? undefined
        : unavailable(name),
  },
);
module.exports = Object.create(missing);
