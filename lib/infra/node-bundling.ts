import { type BundlingOptions, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { clientNodeModules } from '../kubernetes/client-node-modules.ts';
import { omittedPackageStub } from './project-paths.ts';

export interface NodeBundlingOptions {
  /** Keep `@kubernetes/client-node` in the bundle. */
  readonly kubernetesClient: boolean;
  /** Packages replaced by a stub that throws, because no check in the config uses them. */
  readonly omitPackages?: readonly string[];
  /** Files copied next to the bundle: [absolute source, name in the bundle]. */
  readonly extraFiles?: readonly (readonly [string, string])[];
}

// ESM bundles have no `require`; some CommonJS dependencies call it for Node built-ins.
const requireShim =
  "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

function omitted(options: NodeBundlingOptions): string[] {
  const names = new Set(options.omitPackages ?? []);
  // client-node is also imported by file (its small modules), and esbuild aliases by prefix:
  // each of those paths needs its own alias to the stub.
  for (const name of clientNodeModules) {
    if (options.kubernetesClient) names.delete(name);
    else names.add(name);
  }
  return [...names].sort();
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * esbuild on this machine (never Docker): ESM, minified, external source maps, Node 24. The AWS
 * SDK v3 is left out because the Lambda runtime provides it.
 */
export function nodeBundling(options: NodeBundlingOptions): BundlingOptions {
  const files = options.extraFiles ?? [];
  return {
    format: OutputFormat.ESM,
    target: 'node24',
    minify: true,
    sourceMap: true,
    sourceMapMode: SourceMapMode.DEFAULT,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    banner: requireShim,
    externalModules: ['@aws-sdk/*'],
    forceDockerBundling: false,
    esbuildArgs: Object.fromEntries(
      omitted(options).map((name) => [`--alias:${name}`, omittedPackageStub]),
    ),
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir: string, outputDir: string) =>
        files.map(([from, name]) => `cp ${shellQuote(from)} ${shellQuote(`${outputDir}/${name}`)}`),
    },
  };
}
