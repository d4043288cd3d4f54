import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** The subset of CDK's NodejsFunction BundlingOptions that decides what esbuild produces. */
interface CdkBundlingOptions {
  readonly format?: string;
  readonly target?: string;
  readonly minify?: boolean;
  readonly sourceMap?: boolean;
  readonly sourcesContent?: boolean;
  readonly mainFields?: string[];
  readonly banner?: string;
  readonly externalModules?: string[];
  readonly esbuildArgs?: Record<string, string | boolean>;
}

export interface BundleSource {
  /** Where the options came from, for the report. */
  readonly origin: string;
  /** As the construct calls it for a config: client-node in or out, unused drivers stubbed. */
  readonly options: (
    kubernetesClient: boolean,
    omitPackages: readonly string[],
  ) => CdkBundlingOptions;
}

/**
 * The bundling options the CDK construct uses (`lib/infra/node-bundling.ts`), so the bench
 * measures the bundle that would be deployed. Undefined until that module exists.
 */
export async function constructBundling(): Promise<BundleSource | undefined> {
  try {
    const { nodeBundling } = (await import('../../lib/infra/node-bundling.ts')) as {
      nodeBundling: (o: {
        kubernetesClient: boolean;
        omitPackages?: readonly string[];
      }) => CdkBundlingOptions;
    };
    return {
      origin: 'lib/infra/node-bundling.ts (the construct)',
      options: (kubernetesClient, omitPackages) => nodeBundling({ kubernetesClient, omitPackages }),
    };
  } catch {
    return undefined;
  }
}

function aliases(args: Record<string, string | boolean> | undefined): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [key, value] of Object.entries(args ?? {})) {
    const match = /^--alias:(.+)$/.exec(key);
    if (match?.[1] && typeof value === 'string') found[match[1]] = value;
  }
  return found;
}

/**
 * esbuild with the construct's options translated one to one (what NodejsFunction passes on its
 * command line): bundle, platform node, ESM to index.mjs, minified, linked source map.
 */
export interface BuiltBundle {
  readonly outfile: string;
  /** Bytes of minified output per package (or project folder), largest first. */
  readonly composition: readonly (readonly [string, number])[];
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match?.[1] ?? input.split('/').slice(0, 2).join('/');
}

export async function bundleFunction(
  entry: string,
  outDir: string,
  options: CdkBundlingOptions,
): Promise<BuiltBundle> {
  mkdirSync(outDir, { recursive: true });
  const esm = (options.format ?? 'cjs') === 'esm';
  const outfile = path.join(outDir, esm ? 'index.mjs' : 'index.js');
  const unknownArgs = Object.keys(options.esbuildArgs ?? {}).filter(
    (k) => !k.startsWith('--alias:'),
  );
  if (unknownArgs.length > 0) {
    throw new Error(`esbuildArgs not mirrored by the bench: ${unknownArgs.join(', ')}`);
  }
  const built = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    outfile,
    format: esm ? 'esm' : 'cjs',
    target: options.target ?? 'node24',
    minify: options.minify ?? false,
    sourcemap: options.sourceMap ? 'linked' : false,
    sourcesContent: options.sourcesContent ?? true,
    ...(options.mainFields ? { mainFields: options.mainFields } : {}),
    ...(options.banner ? { banner: { js: options.banner } } : {}),
    external: options.externalModules ?? [],
    alias: aliases(options.esbuildArgs),
    logLevel: 'silent',
    metafile: true,
  });
  const sizes = new Map<string, number>();
  for (const output of Object.values(built.metafile.outputs)) {
    for (const [input, info] of Object.entries(output.inputs)) {
      const key = packageOf(input);
      sizes.set(key, (sizes.get(key) ?? 0) + info.bytesInOutput);
    }
  }
  return { outfile, composition: [...sizes].sort((a, b) => b[1] - a[1]) };
}
