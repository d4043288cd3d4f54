/**
 * Lambda cold start proxy: each `functions/<name>/handler.ts` bundled exactly as the CDK construct
 * bundles it, then, in a fresh Node 24 process per measurement, the time to import the bundle
 * (Lambda's INIT) and to run a minimal suite through the runner handler (the first INVOKE),
 * against dynalite on loopback.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { packageUse } from '../lib/checks/runtime-packages.ts';
import { parseConfigText } from '../lib/config/load-config.ts';
import { type BenchContext, defaultContext } from './support/context.ts';
import { bundleFunction, constructBundling } from './support/lambda-bundle.ts';
import { emptySection, renderSection, type SectionResult } from './support/report.ts';
import { median, round } from './support/stats.ts';
import { runTimed } from './support/timed-process.ts';

const functionsDir = fileURLToPath(new URL('../functions/', import.meta.url));
// Inside the project so the bundles resolve the AWS SDK (external, as on Lambda) from node_modules.
const bundlesDir = fileURLToPath(new URL('./results/bundles/', import.meta.url));
const probe = fileURLToPath(new URL('./support/cold-start-probe.ts', import.meta.url));

export const bundleLimitBytes = 1024 * 1024;
export const coldImportLimitMs = 300;

const minimalSuite = `timezone: Asia/Ho_Chi_Minh
suites:
  - id: bench
    schedule: "cron(0 8 * * ? *)"
    checks: [tmp-disk]
checks:
  - id: tmp-disk
    type: disk
    paths: [/tmp]
    warningPercent: 99
    criticalPercent: 100
`;

/** What the construct would stub out for the bench's suite (its drivers: all of them). */
const unusedByBench = packageUse(parseConfigText(minimalSuite, { env: false }).checks).unused;

interface Probe {
  readonly bootMs: number;
  readonly importMs: number;
  readonly invokeMs?: number;
  readonly invokeError?: string;
  readonly status?: string;
}

interface Variant {
  readonly fn: string;
  readonly label: string;
  readonly kubernetesClient: boolean;
  /** A what-if, not the construct's setting: bundle the AWS SDK instead of using Lambda's copy. */
  readonly bundleAwsSdk?: boolean;
}

function variantsOf(functionNames: readonly string[]): Variant[] {
  return functionNames.flatMap((fn) =>
    fn === 'runner'
      ? [
          { fn, label: 'runner', kubernetesClient: false },
          { fn, label: 'runner + client-node', kubernetesClient: true },
          {
            fn,
            label: 'runner, SDK bundled (what-if)',
            kubernetesClient: false,
            bundleAwsSdk: true,
          },
        ]
      : [{ fn, label: fn, kubernetesClient: false }],
  );
}

async function startLocalDynamo() {
  const [{ default: dynalite }, { DynamoDBClient }, { ensureTable }] = await Promise.all([
    import('dynalite'),
    import('@aws-sdk/client-dynamodb'),
    import('../lib/store/ensure-table.ts'),
  ]);
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const tableName = 'bench-results';
  await ensureTable(client, tableName);
  return {
    endpoint,
    tableName,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The runner gets a scheduled run of the minimal suite; other functions are only imported. */
function eventFor(fn: string, index: number): unknown {
  if (fn !== 'runner') return undefined;
  // A new scheduled time per measurement, so no run is a duplicate delivery.
  const scheduledTime = new Date(Date.UTC(2026, 10, 22, 1, index)).toISOString();
  return { suite: 'bench', scheduledTime };
}

export async function runLambdaColdStart(context: BenchContext): Promise<SectionResult> {
  const result = emptySection(
    'lambda-cold-start',
    'Lambda cold start proxy (Node 24, fresh process)',
  );
  const functionNames = existsSync(functionsDir)
    ? readdirSync(functionsDir).filter((d) => existsSync(path.join(functionsDir, d, 'handler.ts')))
    : [];
  if (functionNames.length === 0) {
    result.skipped.push('no functions/*/handler.ts yet');
    return result;
  }
  const bundling = await constructBundling();
  if (!bundling) {
    result.skipped.push('lib/infra/node-bundling.ts (the construct bundling options) is missing');
    return result;
  }
  result.notes.push(`bundling options from ${bundling.origin}`);
  const runs = Math.max(context.runs, 5);
  const dynamo = await startLocalDynamo();
  const rows = [];
  const data: Record<string, unknown> = {};
  try {
    for (const variant of variantsOf(functionNames)) {
      const outDir = path.join(bundlesDir, variant.label.replace(/[^a-z0-9]+/gi, '-'));
      rmSync(outDir, { recursive: true, force: true });
      let built: Awaited<ReturnType<typeof bundleFunction>>;
      try {
        built = await bundleFunction(
          path.join(functionsDir, variant.fn, 'handler.ts'),
          outDir,
          variant.bundleAwsSdk
            ? { ...bundling.options(variant.kubernetesClient, unusedByBench), externalModules: [] }
            : bundling.options(variant.kubernetesClient, unusedByBench),
        );
      } catch (error) {
        result.skipped.push(`${variant.label}: bundling failed: ${(error as Error).message}`);
        continue;
      }
      const bundle = built.outfile;
      writeFileSync(path.join(outDir, 'healthchecks.yaml'), minimalSuite);
      const largest = built.composition
        .slice(0, 6)
        .map(([name, size]) => `${name} ${round(size / 1024, 0)} KB`)
        .join(', ');
      result.notes.push(`${variant.label}: largest parts of the bundle: ${largest}`);
      const bytes = statSync(bundle).size;
      const gzipBytes = gzipSync(readFileSync(bundle)).length;
      const probes: Probe[] = [];
      const walls: number[] = [];
      const errors = new Set<string>();
      for (let i = 0; i < runs; i++) {
        const event = eventFor(variant.fn, i);
        const run = await runTimed(process.execPath, [probe], {
          timeoutMs: 60_000,
          env: {
            ...process.env,
            NODE_OPTIONS: '--enable-source-maps', // as the stack sets it
            BENCH_BUNDLE: bundle,
            ...(event === undefined ? {} : { BENCH_EVENT: JSON.stringify(event) }),
            AWS_REGION: 'us-east-1',
            AWS_ACCESS_KEY_ID: 'bench',
            AWS_SECRET_ACCESS_KEY: 'bench',
            LAMBDA_TASK_ROOT: outDir,
            HEALTHCHECK_CONFIG_FILE: 'healthchecks.yaml',
            HEALTHCHECK_TABLE: dynamo.tableName,
            HEALTHCHECK_DYNAMODB_ENDPOINT: dynamo.endpoint,
            HEALTHCHECK_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:bench-alerts',
            HEALTHCHECK_EVENT_BUS_NAME: 'bench-events',
            HEALTHCHECK_WATCHDOG_ALLOWANCE_MS: '900000', // the watchdog reads it at INIT
            POWERTOOLS_SERVICE_NAME: 'healthcheck-runner',
            POWERTOOLS_METRICS_NAMESPACE: 'Healthcheck',
            POWERTOOLS_LOG_LEVEL: 'ERROR',
            POWERTOOLS_TRACE_ENABLED: 'false',
          },
        });
        const line = run.stdout.split('\n').find((l) => l.startsWith('COLD_START '));
        if (!line) {
          errors.add(`exit ${run.code}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
          continue;
        }
        const measured = JSON.parse(line.slice('COLD_START '.length)) as Probe;
        if (measured.invokeError) errors.add(`invoke: ${measured.invokeError}`);
        probes.push(measured);
        walls.push(run.wallMs);
      }
      const importMs = round(median(probes.map((p) => p.importMs)), 1);
      const invokeMs = round(median(probes.flatMap((p) => p.invokeMs ?? [])), 1);
      const statuses = [...new Set(probes.map((p) => p.status).filter(Boolean))].join(',');
      rows.push([
        variant.label,
        round(bytes / 1024, 1),
        round(gzipBytes / 1024, 1),
        round(median(probes.map((p) => p.bootMs)), 1),
        importMs,
        invokeMs,
        round(median(walls), 1),
        statuses || (errors.size > 0 ? 'error' : 'import only'),
      ]);
      data[variant.label] = {
        bytes,
        gzipBytes,
        composition: built.composition.slice(0, 20),
        probes,
        wallMs: walls,
        errors: [...errors],
      };
      for (const error of errors) result.notes.push(`${variant.label}: ${error}`);
      if (variant.fn === 'runner' && !variant.kubernetesClient && !variant.bundleAwsSdk) {
        result.targets.push({
          name: 'runner bundle (no client-node)',
          target: '< 1 MB',
          measured: `${round(bytes / 1024, 1)} KB`,
          met: bytes < bundleLimitBytes,
        });
      }
      if (variant.bundleAwsSdk) continue;
      result.targets.push({
        name: `${variant.label}: cold import`,
        target: `< ${coldImportLimitMs} ms`,
        measured: Number.isFinite(importMs) ? `${importMs} ms` : 'not measured',
        met: Number.isFinite(importMs) ? importMs < coldImportLimitMs : null,
      });
    }
  } finally {
    await dynamo.close();
  }
  result.tables.push({
    title: `Bundles and cold start (median of ${runs} fresh processes)`,
    columns: [
      'function',
      'minified KB',
      'gzip KB',
      'node boot ms',
      'import ms',
      'first invoke ms',
      'process wall ms',
      'result',
    ],
    rows,
  });
  result.notes.push(
    "import = the bundle's module load (Lambda INIT); first invoke = the runner handler running a one-check suite (a disk check; a suite needs at least one check) with results written to dynalite; the AWS SDK is external, as on Lambda, and loads from node_modules here",
    'measured on a full core: Lambda gives a 512 MB function about 0.3 vCPU, so CPU-bound INIT there can take roughly 3x longer',
  );
  result.data['bundles'] = data;
  return result;
}

if (import.meta.main) {
  process.stdout.write(renderSection(await runLambdaColdStart(defaultContext())));
}
