/**
 * Scale of the kubernetes-pods check: 10,000 pods, 500 of them failing, served by the fake
 * Kubernetes API (test/support/fake-kube-api.ts) in its own process.
 *
 *   node_modules/.bin/node bench/kubernetes-pods-scale.ts [--pods 10000] [--failing 500]
 *
 * Two measurements, each in a fresh process so its CPU and memory are its own:
 * - end-to-end: the check's run() (kubeconfig, paginated JSON lists, evaluation, summary)
 *   against the fake API, as compiled JS (dist/, as shipped; when built) and as TypeScript source;
 * - evaluation: evaluatePod + summarizePods alone over the pods' JSON (the pure part).
 * Prints a table and writes bench/results/kubernetes-pods-scale.json (also the last stdout line).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const self = fileURLToPath(import.meta.url);
const resultsFile = fileURLToPath(new URL('./results/kubernetes-pods-scale.json', import.meta.url));
const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '10000' },
    failing: { type: 'string', default: '500' },
    role: { type: 'string' },
    kubeconfig: { type: 'string' },
  },
});
const podCount = Number(values.pods);
const failingCount = Number(values.failing);

async function makePods(now: Date) {
  const { kubePod } = await import('../test/support/fake-kube-api.ts');
  const failures = [
    {
      containers: [
        {
          name: 'app',
          restarts: 14,
          waiting: { reason: 'CrashLoopBackOff' },
          lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedMinutesAgo: 4 },
        },
      ],
    },
    { containers: [{ name: 'app', waiting: { reason: 'ImagePullBackOff' } }] },
    { phase: 'Pending' as const, createdMinutesAgo: 45 },
    {
      containers: [
        {
          name: 'app',
          restarts: 2,
          lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedMinutesAgo: 15 },
        },
      ],
    },
    { containers: [{ name: 'app', ready: false }], readyChangedMinutesAgo: 30 },
  ];
  return Array.from({ length: podCount }, (_, i) => {
    const namespace = `team-${i % 40}`;
    const name = `svc-${i % 300}-7d9f8b6c5-${i.toString(36).padStart(5, '0')}`;
    if (
      i % Math.floor(podCount / failingCount) === 0 &&
      i / Math.floor(podCount / failingCount) < failingCount
    ) {
      const failure = failures[(i / Math.floor(podCount / failingCount)) % failures.length];
      return kubePod({ now, name, namespace, ...failure });
    }
    if (i % 97 === 1) {
      return kubePod({
        now,
        name,
        namespace,
        phase: 'Succeeded',
        owner: { kind: 'Job', name: `batch-${i}` },
        containers: [{ name: 'job', terminated: { reason: 'Completed', exitCode: 0 } }],
      });
    }
    return kubePod({ now, name, namespace });
  });
}

/**
 * The check's code as shipped (dist/lib, compiled by `npm run build`, which `npm run bench` runs
 * first) or as TypeScript source (Node's type stripping adds about 20 MB of its own).
 */
const compiledRun = new URL('../dist/lib/checks/kubernetes-pods/run.js', import.meta.url);
const compiledConfig = new URL('../dist/lib/config/load-config.js', import.meta.url);
type RunModule = typeof import('../lib/checks/kubernetes-pods/run.ts');
type ConfigModule = typeof import('../lib/config/load-config.ts');

function podsConfig(kubeconfig: string | undefined, compiled: boolean) {
  const module: Promise<ConfigModule> = compiled
    ? import(compiledConfig.href)
    : import('../lib/config/load-config.ts');
  return module.then(({ parseConfig }) => {
    const config = parseConfig(
      { checks: [{ id: 'scale', type: 'kubernetes-pods', ...(kubeconfig ? { kubeconfig } : {}) }] },
      { env: {} },
    );
    return config.checks[0] as never;
  });
}

interface Measurement {
  readonly mode: string;
  /** Peak RSS before the measured work: Node, the TypeScript loader and imported modules. */
  readonly baselineRssMb: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly heapUsedMb: number;
  readonly status: string;
  readonly failingPods: number;
  readonly podsChecked: number;
  readonly pages: number;
  readonly resultBytes: number;
  readonly summary: string;
}

function measureDone(
  mode: string,
  baselineRssMb: number,
  t0: number,
  c0: NodeJS.CpuUsage,
  outcome: { status: string; summary: string; details?: Record<string, unknown> },
): Measurement {
  const cpu = process.cpuUsage(c0);
  return {
    mode,
    baselineRssMb,
    wallMs: Math.round(performance.now() - t0),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    heapUsedMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    status: outcome.status,
    failingPods: Number(outcome.details?.['failingPods'] ?? 0),
    podsChecked: Number(outcome.details?.['podsChecked'] ?? 0),
    pages: Number(outcome.details?.['pages'] ?? 0),
    resultBytes: Buffer.byteLength(JSON.stringify(outcome)),
    summary: outcome.summary.slice(0, 160),
  };
}

function rssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function serve(): Promise<void> {
  const { startFakeKubeApi } = await import('../test/support/fake-kube-api.ts');
  const api = await startFakeKubeApi({ pods: await makePods(new Date()) });
  process.stdout.write(`${JSON.stringify({ kubeconfig: api.kubeconfigPath() })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void api.close().then(() => process.exit(0)));
}

async function measureEndToEnd(kubeconfig: string, compiled: boolean): Promise<void> {
  const { run } = (await (compiled
    ? import(compiledRun.href)
    : import('../lib/checks/kubernetes-pods/run.ts'))) as RunModule;
  const config = await podsConfig(kubeconfig, compiled);
  const baseline = rssMb();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const outcome = await run(config, {
    signal: AbortSignal.timeout(120_000),
    now: new Date(),
    timezone: 'UTC',
  });
  process.stdout.write(
    `${JSON.stringify(measureDone(compiled ? 'end-to-end, compiled JS (as shipped)' : 'end-to-end, TypeScript source', baseline, t0, c0, outcome))}\n`,
  );
}

async function measureEvaluation(): Promise<void> {
  const { evaluatePod } = await import('../lib/checks/kubernetes-pods/evaluate-pod.ts');
  const { newTally, summarizePods } = await import('../lib/checks/kubernetes-pods/summarize.ts');
  const { podRules } = await import('../lib/checks/kubernetes-pods/pod-rules.ts');
  const now = new Date();
  // The API's page texts, fetched without client-node so this process holds only the input text.
  const pages = await rawPages(values.kubeconfig ?? '');
  // The config's defaults, written out so this process does not load the config schema (zod).
  const defaults = {
    maxRestarts: 5,
    pendingMinutes: 10,
    notReadyMinutes: 10,
    terminatingMinutes: 15,
    oomWindowMinutes: 60,
  };
  const rules = podRules(defaults as never, {
    signal: AbortSignal.timeout(1000),
    now,
    timezone: 'UTC',
  });
  const baseline = rssMb();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const tally = newTally();
  for (const text of pages) {
    tally.pages++;
    const list = JSON.parse(text) as { items: Parameters<typeof evaluatePod>[0][] };
    for (const pod of list.items) {
      tally.podsChecked++;
      const phase = pod.status?.phase ?? 'Unknown';
      tally.phases[phase] = (tally.phases[phase] ?? 0) + 1;
      const finding = evaluatePod(pod, rules);
      if (finding) tally.findings.push(finding);
    }
  }
  const outcome = summarizePods(tally, { scope: 'all namespaces', listLimit: 10 });
  process.stdout.write(
    `${JSON.stringify(measureDone('evaluation only (JSON.parse + evaluate + summarize)', baseline, t0, c0, outcome))}\n`,
  );
}

async function rawPages(kubeconfig: string): Promise<string[]> {
  const { parse } = await import('yaml');
  const { readFileSync } = await import('node:fs');
  const https = await import('node:https');
  const kc = parse(readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { token: string } }[];
  };
  const cluster = kc.clusters[0]?.cluster;
  const ca = Buffer.from(cluster?.['certificate-authority-data'] ?? '', 'base64');
  const get = (url: string) =>
    new Promise<string>((resolve, reject) => {
      https
        .get(
          url,
          { ca, headers: { authorization: `Bearer ${kc.users[0]?.user.token}` } },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => {
              body += d;
            });
            res.on('end', () => resolve(body));
          },
        )
        .on('error', reject);
    });
  const pages: string[] = [];
  let token = '';
  do {
    const query = new URLSearchParams({ limit: '250', ...(token ? { continue: token } : {}) });
    const text = await get(`${cluster?.server}/api/v1/pods?${query}`);
    pages.push(text);
    // A regex, not JSON.parse: parsing here would inflate the heap before the baseline.
    token = /"continue":"([^"]+)"/.exec(text.slice(0, 2000))?.[1] ?? '';
  } while (token);
  return pages;
}

function child(args: string[], keepOpen = false) {
  const proc = spawn(
    process.execPath,
    [self, ...args, '--pods', String(podCount), '--failing', String(failingCount)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  if (!keepOpen) proc.stdin.end();
  const firstLine = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout });
    lines.once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}`)));
  });
  return { proc, firstLine };
}

async function main(): Promise<void> {
  const server = child(['--role', 'serve'], true);
  const { kubeconfig } = JSON.parse(await server.firstLine) as { kubeconfig: string };
  try {
    const rows: Measurement[] = [];
    if (existsSync(compiledRun)) {
      rows.push(
        JSON.parse(
          await child(['--role', 'end-to-end-compiled', '--kubeconfig', kubeconfig]).firstLine,
        ),
      );
    } else {
      console.log('dist/ not built (npm run build): measuring the TypeScript source only');
    }
    rows.push(
      JSON.parse(await child(['--role', 'end-to-end', '--kubeconfig', kubeconfig]).firstLine),
    );
    rows.push(
      JSON.parse(await child(['--role', 'evaluate', '--kubeconfig', kubeconfig]).firstLine),
    );
    const report = {
      bench: 'kubernetes-pods-scale',
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      pods: podCount,
      failing: failingCount,
      budget: { cpuMs: 1000, peakRssMb: 150 },
      rows,
    };
    const header = [
      'mode',
      'baseline RSS MB',
      'wall ms',
      'cpu ms',
      'peak RSS MB',
      'heap MB',
      'pods',
      'pages',
      'failing',
      'result bytes',
    ];
    const table = rows.map((r) =>
      [
        r.mode,
        r.baselineRssMb,
        r.wallMs,
        r.cpuMs,
        r.peakRssMb,
        r.heapUsedMb,
        r.podsChecked,
        r.pages,
        r.failingPods,
        r.resultBytes,
      ].map(String),
    );
    const widths = header.map((h, i) =>
      Math.max(h.length, ...table.map((row) => row[i]?.length ?? 0)),
    );
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
    console.log(
      `kubernetes-pods scale: ${podCount} pods, ${failingCount} failing (budget: < 1000 ms CPU, < 150 MB)`,
    );
    console.log(line(header));
    for (const row of table) console.log(line(row));
    console.log(`summary: ${rows[0]?.summary ?? ''}`);
    mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
    writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report));
  } finally {
    server.proc.stdin.end();
  }
}

const roles: Record<string, () => Promise<void>> = {
  serve,
  'end-to-end': () => measureEndToEnd(values.kubeconfig ?? '', false),
  'end-to-end-compiled': () => measureEndToEnd(values.kubeconfig ?? '', true),
  evaluate: measureEvaluation,
};
await (values.role ? (roles[values.role] ?? main)() : main());
