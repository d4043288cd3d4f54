'use strict';
// Stands in for a heavy package (a database driver, @kubernetes/client-node) in Lambda bundles
// whose config has no check that needs it. Every export fails with a message saying what to do.
const unavailable = (name) =>
  function packageNotBundled() {
    throw new Error(
      `"${String(name)}" comes from a package left out of this Lambda bundle because the config ` +
        'had no check using it when it was deployed; redeploy with the current config',
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
